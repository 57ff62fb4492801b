import type { StreamView } from '../../../src/protocol/api-views';
import type { Coordinate } from '../../../src/protocol/coordinate';
import { encodeLiveEventAddress } from '../../../src/protocol/naddr';

/**
 * The link that opens one of our streams for anyone it is meant for: a private stream's shared
 * link (its token in it), else `/s/<id>` on the service's public address (where its playback URLs live).
 */
export function publicLinkOf(stream: Pick<StreamView, 'stream_id' | 'share_url' | 'hls_playback'>): string {
  return stream.share_url ?? new URL(`/s/${stream.stream_id}`, stream.hls_playback).href;
}

/** Any NIP-53 stream's page on this web app, by its `naddr` (with up to two relay hints). */
export function addressLinkOf(coordinate: Coordinate, relays: readonly string[]): string {
  return new URL(`/stream/${encodeLiveEventAddress(coordinate, relays.slice(0, 2))}`, window.location.origin).href;
}
