import type { Stream } from '../streams/stream.js';

/** Who signs a stream's 30311, so its coordinate is `30311:<this>:<stream id>`: the streamer, or the service. */
export const eventAuthor = (stream: Pick<Stream, 'signer' | 'pubkey'>, servicePubkey: string): string =>
  stream.signer === 'streamer' ? stream.pubkey : servicePubkey;
