/**
 * This process as the other nodes of a cluster know it: a name, and the base URL they fetch
 * the streams it holds from (`NODE_ID`, `NODE_URL`).
 *
 *   const self: ClusterNode = config.node;   // { id: 'live-1-8080', url: 'http://10.0.0.5:8080' }
 *   headers[NODE_HEADER] = self.id;          // on every request one node makes to another
 */
export interface ClusterNode {
  readonly id: string;
  readonly url: string;
}

/**
 * Marks a request one node makes to another (the origin proxy, the live-window handover),
 * naming the node that asks. The node answering serves it from its own disk whatever it
 * believes about the holder, so two nodes that disagree cannot pass a request back and forth.
 * A proxied player's request is counted by the holder, as any of its own: the asking node
 * counts nobody, so a player is one viewer whichever node its requests reach.
 */
export const NODE_HEADER = 'x-wavlake-node';

/** True for a request another node made (see NODE_HEADER). */
export function fromAnotherNode(headers: Record<string, string | string[] | undefined>): boolean {
  return headers[NODE_HEADER] !== undefined;
}

/**
 * Marks a node-to-node request that copies files (the live-window handover) rather than
 * passing a player's request on: the holder does not count it as a viewer.
 */
export const HANDOVER_HEADER = 'x-wavlake-handover';

/** True for a handover copy (see HANDOVER_HEADER): not a viewer. */
export function isHandover(headers: Record<string, string | string[] | undefined>): boolean {
  return headers[HANDOVER_HEADER] !== undefined;
}
