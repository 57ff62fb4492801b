import type { VerifiedEvent } from 'nostr-tools/pure';
import type { Logger } from 'pino';
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
 * nothing here ever blocks the caller: `enqueue` returns at once.
 *
 *   const outbox = new RelayOutbox('wss://relay.example', { logger });
 *   outbox.enqueue('30311:<pubkey>:<id>', event);
 */
export class RelayOutbox {
  private readonly pending = new Map<string, VerifiedEvent>();
  /** The last event each address got to this relay: a late-connecting relay still gets the newest. */
  private readonly delivered = new Map<string, string>();
  private connection: RelayLink | undefined;
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

  enqueue(address: string, event: VerifiedEvent): void {
    if (this.closed) return;
    this.pending.set(address, event);
    if (!this.timer) void this.flush();
  }

  /** Addresses still waiting for this relay to accept them. */
  get backlog(): number {
    return this.pending.size;
  }

  /** The id of the event this relay last accepted for the address. */
  deliveredId(address: string): string | undefined {
    return this.delivered.get(address);
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
    this.connection?.close();
  }

  private async flush(): Promise<void> {
    if (this.running || this.closed) return;
    this.running = true;
    try {
      const connection = await this.connect();
      const refusals: string[] = [];
      for (const [address, event] of [...this.pending]) {
        const reason = await this.publish(connection, event);
        if (reason === undefined || reason.startsWith(DUPLICATE)) {
          if (this.pending.get(address) === event) this.pending.delete(address);
          this.delivered.set(address, event.id);
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
      this.connection?.close();
      this.connection = undefined;
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
    if (this.connection?.connected) return this.connection;
    const open = this.options.connect ?? openRelayLink;
    let connection: RelayLink | undefined;
    // Set only once open: a connection that fails while opening may report its close first.
    connection = await open(
      this.url,
      this.options.timeoutMs ?? 10_000,
      () => {
        if (connection && this.connection === connection) this.connection = undefined;
      },
      this.shutdown.signal,
    );
    this.connection = connection;
    return connection;
  }

  /** undefined when accepted, else the relay's reason. */
  private async publish(connection: RelayLink, event: VerifiedEvent): Promise<string | undefined> {
    try {
      await connection.publish(event);
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }
}
