import { verifyEvent, type VerifiedEvent } from 'nostr-tools/pure';
import { AbstractRelay as RelayConnection } from 'nostr-tools/abstract-relay';
import type { Logger } from 'pino';
import WebSocket from 'ws';

export interface OutboxOptions {
  readonly logger: Pick<Logger, 'info' | 'warn'>;
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** How long one publish may wait for the relay's OK. */
  readonly timeoutMs?: number;
}

/**
 * Delivery of the service's events to one external relay. Only the newest event per
 * address is kept (an older replaceable event is worthless once a newer exists), a relay
 * that is down or refuses is retried with exponential backoff, and nothing here ever
 * blocks the caller: `enqueue` returns at once.
 *
 *   const outbox = new RelayOutbox('wss://relay.example', { logger });
 *   outbox.enqueue('30311:<pubkey>:<id>', event);
 */
export class RelayOutbox {
  private readonly pending = new Map<string, VerifiedEvent>();
  /** The last event each address got to this relay: a late-connecting relay still gets the newest. */
  private readonly delivered = new Map<string, string>();
  private connection: RelayConnection | undefined;
  private backoffMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private closed = false;

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

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.connection?.close();
  }

  private async flush(): Promise<void> {
    if (this.running || this.closed) return;
    this.running = true;
    try {
      const connection = await this.connect();
      for (const [address, event] of [...this.pending]) {
        const reason = await this.publish(connection, event);
        if (reason === undefined) {
          if (this.pending.get(address) === event) this.pending.delete(address);
          this.delivered.set(address, event.id);
        } else if (reason.startsWith('invalid:') || reason.startsWith('blocked:') || reason.startsWith('restricted:')) {
          // The relay will never take this event; retrying would only repeat the refusal.
          this.options.logger.warn({ relay: this.url, eventId: event.id, reason }, 'relay refused the live event');
          if (this.pending.get(address) === event) this.pending.delete(address);
        } else {
          throw new Error(reason);
        }
      }
      this.backoffMs = this.options.initialBackoffMs ?? 1000;
    } catch (error) {
      this.connection?.close();
      this.connection = undefined;
      this.retryLater(error);
    } finally {
      this.running = false;
    }
    if (this.pending.size > 0 && !this.timer && !this.closed) void this.flush();
  }

  private retryLater(error: unknown): void {
    if (this.closed) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs ?? 5 * 60_000);
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

  private async connect(): Promise<RelayConnection> {
    if (this.connection?.connected) return this.connection;
    const connection = new RelayConnection(this.url, {
      verifyEvent,
      websocketImplementation: WebSocket as unknown as typeof globalThis.WebSocket,
      enableReconnect: false,
    });
    connection.publishTimeout = this.options.timeoutMs ?? 10_000;
    connection.onclose = () => {
      if (this.connection === connection) this.connection = undefined;
    };
    await connection.connect({ timeout: this.options.timeoutMs ?? 10_000 });
    this.connection = connection;
    return connection;
  }

  /** undefined when accepted, else the relay's reason. */
  private async publish(connection: RelayConnection, event: VerifiedEvent): Promise<string | undefined> {
    try {
      await connection.publish(event);
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }
}
