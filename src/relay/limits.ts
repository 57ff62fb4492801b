import type { Config } from '../config/config.js';

/**
 * The limits the relay enforces; NIP-11's `limitation` object is built from these same
 * numbers, so what the relay advertises is what it does.
 */
export const RELAY_LIMITS = {
  /** Longest WebSocket message we parse; longer ones get a NOTICE. */
  maxMessageLength: 128 * 1024,
  /** Frames past this are not even buffered: the connection is closed (1009). */
  maxFrameLength: 1024 * 1024,
  maxSubscriptions: 20,
  maxFilters: 10,
  maxLimit: 500,
  maxSubidLength: 64,
  maxEventTags: 2000,
  maxContentLength: 64 * 1024,
  /**
   * Longest `d` tag of an addressable event and `a` target of a deletion, in UTF-8 bytes:
   * both sit in unique indexes, and PostgreSQL refuses index entries past about 2.7 kB.
   */
  maxAddressBytes: 1024,
  /** Seconds into the past an event's created_at may be (five years). */
  createdAtLowerLimit: 5 * 365 * 24 * 3600,
  /** Seconds into the future an event's created_at may be. */
  createdAtUpperLimit: 15 * 60,
  /**
   * A connection's messages are handled one at a time; once this many wait, the relay
   * stops reading its socket until they are answered (TCP then holds the client back).
   */
  pauseReadingAt: 16,
  /**
   * Messages already read when reading stopped (one socket read may hold hundreds of small
   * ones) still queue, up to this many; beyond it they are refused with a NOTICE.
   */
  maxPendingMessages: 1000,
  /** Bytes queued for a slow reader before the relay hangs up on it. */
  maxBufferedBytes: 4 * 1024 * 1024,
  /**
   * Bytes queued for a reader past which, held for `shedAfterMs`, its live subscriptions are
   * closed (`CLOSED rate-limited: too slow…`): about half a minute of a busy chat.
   */
  shedAtBufferedBytes: 512 * 1024,
  shedAfterMs: 1000,
  /** An EVENT that waited this long for its turn is answered `OK false rate-limited` instead of handled. */
  okWithinMs: 3000,
} as const;

/** What one writer may send and keep (the settings, described there); NIP-11 states the same numbers. */
export type WriteLimits = Pick<
  Config['rateLimits'],
  'chatPerPubkey' | 'chatPerAddress' | 'eventsPerPubkey' | 'eventsPerAddress' | 'reportsPerTarget' | 'storagePerPubkey'
>;
