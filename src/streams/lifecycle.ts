/**
 * The stream lifecycle: every status and every transition in one table.
 *
 *   const step = transition('connected', 'start');   // { ok: true, to: 'live' }
 *   if (!step.ok) reply 409 with step.error and step.message
 *
 *   created ──encoder connects──▶ connected ──start──▶ live ──stop──▶ ended
 *      ▲                              │                  │ ▲
 *      └──────encoder drops───────────┘   encoder drops  ▼ │ encoder reconnects
 *                                                  reconnecting ──grace expires──▶ ended
 *   any status but ended ──transcoder gives up──▶ error ──stop──▶ ended
 */

import { STREAM_STATUSES, type StreamStatus } from '../protocol/stream-status.js';

export { STREAM_STATUSES, type StreamStatus };

export type LifecycleEvent =
  | 'encoder_connected'
  | 'encoder_disconnected'
  | 'start'
  | 'stop'
  | 'grace_expired'
  | 'failed';

export type Transition =
  | { readonly ok: true; readonly to: StreamStatus }
  | { readonly ok: false; readonly error: string; readonly message: string };

const to = (status: StreamStatus): Transition => ({ ok: true, to: status });
const refuse = (error: string, message: string): Transition => ({ ok: false, error, message });

const ENDED = refuse('stream_ended', 'This stream has ended; create a new stream to go live again.');
const NO_ENCODER = refuse(
  'no_encoder',
  'No encoder connected: start streaming in OBS with the stream key shown for this stream, then press “Start broadcast”.',
);
const ALREADY_PUBLISHING = refuse(
  'already_publishing',
  'An encoder is already publishing to this stream; stop it before connecting another.',
);

const TABLE: Record<StreamStatus, Record<LifecycleEvent, Transition>> = {
  created: {
    encoder_connected: to('connected'),
    encoder_disconnected: to('created'),
    start: NO_ENCODER,
    stop: to('ended'),
    grace_expired: to('created'),
    failed: to('error'),
  },
  connected: {
    encoder_connected: ALREADY_PUBLISHING,
    encoder_disconnected: to('created'),
    start: to('live'),
    stop: to('ended'),
    grace_expired: to('connected'),
    failed: to('error'),
  },
  live: {
    encoder_connected: ALREADY_PUBLISHING,
    encoder_disconnected: to('reconnecting'),
    start: refuse('already_live', 'This stream is already live.'),
    stop: to('ended'),
    grace_expired: to('live'),
    failed: to('error'),
  },
  reconnecting: {
    encoder_connected: to('live'),
    encoder_disconnected: to('reconnecting'),
    start: refuse(
      'already_live',
      'This stream is live and waiting for the encoder to reconnect; restart streaming in OBS with the same key.',
    ),
    stop: to('ended'),
    grace_expired: to('ended'),
    failed: to('error'),
  },
  error: {
    encoder_connected: to('connected'),
    encoder_disconnected: to('error'),
    start: refuse('stream_error', 'This stream is in an error state; reconnect the encoder, or end the stream.'),
    stop: to('ended'),
    grace_expired: to('error'),
    failed: to('error'),
  },
  ended: {
    encoder_connected: ENDED,
    encoder_disconnected: to('ended'),
    start: ENDED,
    stop: refuse('stream_ended', 'This stream has already ended.'),
    grace_expired: to('ended'),
    failed: to('ended'),
  },
};

export function transition(from: StreamStatus, event: LifecycleEvent): Transition {
  return TABLE[from][event];
}

export function isStreamStatus(value: string): value is StreamStatus {
  return (STREAM_STATUSES as readonly string[]).includes(value);
}

/** Statuses in which viewers can watch: the stream is public and listed. */
export const WATCHABLE_STATUSES: readonly StreamStatus[] = ['live', 'reconnecting'];

