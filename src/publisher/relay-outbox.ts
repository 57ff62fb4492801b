import type { VerifiedEvent } from 'nostr-tools/pure';
import type { Logger } from 'pino';
import { formatCoordinate } from '../protocol/coordinate.js';
import type { NostrStore } from '../protocol/nostr-store.js';
import { replacementSlot } from '../relay/event-kinds.js';
import { openRelayLink, type RelayLink } from './relay-link.js';

export interface OutboxOptions {
  readonly logger: Pick<Logger, 'info' | 'warn'>;
  readonly initialBackoffMs?: number;
  /** The longest wait between tries: a newer event for a relay in backoff waits at most this long. */
  readonly maxBackoffMs?: number;
  /** How long one publish may wait for the relay's OK. */
  readonly timeoutMs?: number;
  /** Opens a connection; `openRelayLink` unless a test brings its own. */
  readonly connect?: (url: string, timeoutMs: number, onClose: () => void, signal: AbortSignal) => Promise<RelayLink>;
}

/** `OK false` reasons carry a machine-readable prefix (NIP-01); a timeout or a dropped socket has none. */
const REFUSAL = /^[a-z-]+: ?/;
const DUPLICATE = 'duplicate:';

/**
 * Delivery of the service's events to one external relay. Only the newest event per
 * address is kept (an older replaceable event is worthless once a newer exists), a relay
 * that is down or refuses is retried with exponential backoff capped at a minute, and
 * nothing here ever blocks the caller: `event` resolves as soon as the event is queued
 * (the outbox has taken it; delivering it is the outbox's job from then on).
 *
 *   const outbox = new RelayOutbox('wss://relay.example', { logger });
 *   await outbox.event(liveEvent);
 */
export class RelayOutbox implements Pick<NostrStore, 'event'> {
  /** Per address (`kind:pubkey:d`, or the id of an event that replaces none), the newest event not yet accepted. */
  private readonly pending = new Map<string, VerifiedEvent>();
  private link: RelayLink | undefined;
  private backoffMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private closed = false;
  private readonly shutdown = new AbortController();
  /** Told when nothing is pending any more. */
  private readonly drained = new Set<() => void>();

  constructor(
    readonly url: string,
    private readonly options: OutboxOptions,
  ) {
    this.backoffMs = options.initialBackoffMs ?? 1000;
  }

  async event(event: VerifiedEvent): Promise<void> {
    if (this.closed) return;
    this.pending.set(addressOf(event), event);
    if (!this.timer) void this.flush();
  }

  /** Resolves once nothing is pending, or after `timeoutMs`, whichever comes first. */
  drain(timeoutMs: number): Promise<void> {
    if (this.pending.size === 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.drained.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.drained.add(done);
    });
  }

  close(): void {
    this.closed = true;
    for (const done of [...this.drained]) done();
    clearTimeout(this.timer);
    this.shutdown.abort();
    this.link?.close();
  }

  private async flush(): Promise<void> {
    if (this.running || this.closed) return;
    this.running = true;
    try {
      const link = await this.connect();
      const refusals: string[] = [];
      for (const [address, event] of [...this.pending]) {
        const reason = await this.publish(link, event);
        if (reason === undefined || reason.startsWith(DUPLICATE)) {
          if (this.pending.get(address) === event) this.pending.delete(address);
        } else if (REFUSAL.test(reason)) {
          // A refusal can be passing (rate-limited:, a policy being changed): keep the event and try again later.
          this.options.logger.warn({ relay: this.url, eventId: event.id, reason }, 'relay refused the live event');
          refusals.push(reason);
        } else {
          throw new Error(reason);
        }
      }
      if (refusals.length > 0) {
        this.retryLater(new Error(refusals.join('; ')));
      } else {
        this.backoffMs = this.options.initialBackoffMs ?? 1000;
      }
    } catch (error) {
      this.link?.close();
      this.link = undefined;
      this.retryLater(error);
    } finally {
      this.running = false;
    }
    if (this.pending.size === 0) for (const done of [...this.drained]) done();
    else if (!this.timer && !this.closed) void this.flush();
  }

  private retryLater(error: unknown): void {
    if (this.closed) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs ?? 60_000);
    this.options.logger.warn(
      { relay: this.url, retryInMs: delay, reason: error instanceof Error ? error.message : String(error) },
      'publishing to relay failed; will retry',
    );
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delay);
    this.timer.unref();
  }

  private async connect(): Promise<RelayLink> {
    if (this.link?.connected) return this.link;
    const open = this.options.connect ?? openRelayLink;
    let link: RelayLink | undefined;
    // Set only once open: a connection that fails while opening may report its close first.
    link = await open(
      this.url,
      this.options.timeoutMs ?? 10_000,
      () => {
        if (link && this.link === link) this.link = undefined;
      },
      this.shutdown.signal,
    );
    this.link = link;
    return link;
  }

  /** undefined when accepted, else the relay's reason. */
  private async publish(link: RelayLink, event: VerifiedEvent): Promise<string | undefined> {
    try {
      await link.publish(event);
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }
}

/** Where the event sits on a relay: a newer event at the same address replaces it there, so here too. */
function addressOf(event: VerifiedEvent): string {
  const slot = replacementSlot(event);
  return slot === null ? event.id : formatCoordinate({ kind: event.kind, pubkey: event.pubkey, identifier: slot });
}
