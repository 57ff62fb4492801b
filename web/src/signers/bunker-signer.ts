import { BunkerSigner, parseBunkerInput } from 'nostr-tools/nip46';
import { generateSecretKey } from 'nostr-tools/pure';
import { bytesToHex, hexToBytes } from 'nostr-tools/utils';
import type { NostrEvent } from '../../../src/protocol/nostr-event';
import type { Signer } from './signer';

/**
 * NIP-46: a remote signer (nsec.app, Amber, a bunker) reached over relays with a
 * `bunker://` URI. The client key that talks to it is kept so a reload reconnects.
 *
 *   const { signer, clientSecret } = await connectBunker('bunker://…');
 */
export async function connectBunker(uri: string, clientSecretHex?: string): Promise<{ signer: Signer; clientSecret: string }> {
  const pointer = await parseBunkerInput(uri.trim());
  if (!pointer) throw new Error('That is not a bunker:// URI: copy it from your remote signer.');
  const clientSecret = clientSecretHex ? hexToBytes(clientSecretHex) : generateSecretKey();
  const bunker = BunkerSigner.fromBunker(clientSecret, pointer);
  // Coming back with a client key the bunker already knows, a connect would send the URI's secret
  // again, which a bunker may take as single-use: the first request (get_public_key) is the check.
  if (!clientSecretHex) await bunker.connect();
  return {
    clientSecret: bytesToHex(clientSecret),
    signer: {
      method: 'bunker',
      getPublicKey: () => bunker.getPublicKey(),
      signEvent: async (template) => (await bunker.signEvent({ ...template, tags: template.tags.map((tag) => [...tag]) })) as NostrEvent,
      close: () => void bunker.close(),
    },
  };
}
