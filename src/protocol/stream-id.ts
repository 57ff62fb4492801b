/**
 * A stream id as the service makes them (`randomUUID`). Every route that takes one checks
 * it against this before any lookup, so a path or socket for something that cannot be a
 * stream is turned away at once, and never reaches a database or the disk.
 */
export const STREAM_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
