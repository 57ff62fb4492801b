import { nip19 } from 'nostr-tools';
import type { Coordinate } from './coordinate.js';
import { KIND } from './kinds.js';
import { parsed, rejected, type Parsed } from './result.js';

/**
 * NIP-19 `naddr` for a live event: the shareable link form of its coordinate, with relay
 * hints (`/stream/<naddr>` in the web app).
 *
 *   const naddr = encodeLiveEventAddress({ kind: 30311, pubkey, identifier }, [relayUrl]);
 *   const back = decodeLiveEventAddress(naddr); // { ok: true, value: { coordinate, relays } }
 */
export interface LiveEventAddress {
  readonly coordinate: Coordinate;
  readonly relays: readonly string[];
}

export function encodeLiveEventAddress(coordinate: Coordinate, relays: readonly string[] = []): string {
  return nip19.naddrEncode({
    kind: coordinate.kind,
    pubkey: coordinate.pubkey,
    identifier: coordinate.identifier,
    relays: [...relays],
  });
}

export function decodeLiveEventAddress(value: string): Parsed<LiveEventAddress> {
  let decoded: ReturnType<typeof nip19.decode>;
  try {
    decoded = nip19.decode(value.replace(/^nostr:/, ''));
  } catch {
    return rejected('not a valid NIP-19 naddr');
  }
  if (decoded.type !== 'naddr') return rejected(`a ${decoded.type} is not an naddr`);
  const { kind, pubkey, identifier, relays } = decoded.data;
  if (kind !== KIND.liveEvent) return rejected(`the naddr names kind ${kind}, not a live event (${KIND.liveEvent})`);
  return parsed({ coordinate: { kind, pubkey, identifier }, relays: relays ?? [] });
}
