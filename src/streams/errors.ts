/**
 * A refusal from the stream service. `kind` says what went wrong in terms any front end
 * can map (the API maps it to an HTTP status); `code` and `message` go to the user.
 */
export type StreamErrorKind = 'not_found' | 'forbidden' | 'conflict' | 'invalid';

export class StreamError extends Error {
  constructor(
    readonly kind: StreamErrorKind,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'StreamError';
  }
}

export const streamNotFound = (id: string) =>
  new StreamError('not_found', 'stream_not_found', `No stream with id ${id}; check the id or list your streams.`);

export const notStreamOwner = () =>
  new StreamError('forbidden', 'not_owner', 'Only the streamer who created this stream can do that.');
