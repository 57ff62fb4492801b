/** A stream's statuses, as the lifecycle moves between them and the API shows them. */
export const STREAM_STATUSES = ['created', 'connected', 'live', 'reconnecting', 'ended', 'error'] as const;
export type StreamStatus = (typeof STREAM_STATUSES)[number];
