import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { FastifyBaseLogger } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import type { NostrEvent } from '../protocol/nostr-event.js';
import type { RelayAuth } from './auth.js';
import { parseFilter, type Filter } from './filter.js';
import { RELAY_LIMITS } from './limits.js';
import { MessageQueue, type Rest } from './message-queue.js';
import { Outbox, type Corkable } from './outbox.js';
import { StreamAccess } from './private-streams.js';
import type { Relay, Verdict, Verified } from './relay.js';
import type { Subscriber } from './subscriptions.js';
import { KIND } from '../protocol/kinds.js';
import { MODERATION_KINDS } from '../protocol/moderation.js';

type RelayMessage =
  | ['EVENT', string, NostrEvent]
  | ['OK', string, boolean, string]
  | ['EOSE', string]
  | ['CLOSED', string, string]
  | ['NOTICE', string]
  | ['AUTH', string];

export interface ConnectionOptions {
  /** The client as the per-address limits see it. */
  readonly address?: string;
  readonly auth?: RelayAuth;
  /** The socket under the WebSocket, corked while a turn's frames are written. */
  readonly transport?: Corkable;
}

/**
 * One client's WebSocket: parses NIP-01 messages, enforces per-connection limits, and
 * sends answers. Messages are handled in the order sent (MessageQueue); a burst of plain
 * EVENTs overlaps its commits, and their OKs still go out in the order sent. A
 * bad message gets a NOTICE, OK false or CLOSED; it never throws. A reader too slow for
 * its subscriptions is told (CLOSED) and dropped from them rather than buffered without end.
 *
 *   wss.on('connection', (socket) => new RelayConnection(socket, relay, logger, { address, auth }));
 */
export class RelayConnection implements Subscriber {
  /** Live events that arrive while a subscription's stored events are still being sent. */
  private readonly pending = new Map<string, NostrEvent[]>();

  /** The created_at of the last live event each subscription was sent: where a shed one resumes. */
  private readonly lastSent = new Map<string, number>();

  private readonly outbox: Outbox;

  /** Since when this reader's backlog has been past the shedding bound. */
  private behindSince: number | undefined;

  /** This connection's messages, handled in arrival order. */
  private readonly queue: MessageQueue;

  /** The last OK sent or waiting to be: the next waits for it, so OKs keep the EVENTs' order. */
  private answered: Promise<void> = Promise.resolve();

  /** What AUTH proved on this connection: which private streams it reads. */
  readonly access = new StreamAccess();

  /** NIP-42: sent on connect; an AUTH event must carry it back. */
  private readonly challenge = randomBytes(16).toString('hex');

  private readonly address: string | undefined;
  private readonly auth: RelayAuth | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly relay: Relay,
    private readonly logger: FastifyBaseLogger,
    options: ConnectionOptions = {},
  ) {
    this.address = options.address;
    this.auth = options.auth;
    this.outbox = new Outbox(socket, options.transport);
    this.queue = new MessageQueue(socket, {
      pauseAt: RELAY_LIMITS.pauseReadingAt,
      limit: RELAY_LIMITS.maxPendingMessages,
    });
    socket.on('message', (data, isBinary) => this.receive(data, isBinary));
    socket.on('close', () => {
      this.queue.clear();
      this.outbox.clear();
      relay.unsubscribeAll(this);
    });
    socket.on('error', (error) => this.logger.debug({ err: error }, 'relay socket error'));
    if (this.auth) this.send(['AUTH', this.challenge]);
  }

  deliver(subscriptionId: string, event: NostrEvent, json: string): void {
    const waiting = this.pending.get(subscriptionId);
    if (waiting) return void waiting.push(event);
    if (this.fallenBehind()) return this.shed();
    this.lastSent.set(subscriptionId, event.created_at);
    // The event's JSON is shared by every subscriber: only the wrapper is built per subscription.
    this.write(`["EVENT",${JSON.stringify(subscriptionId)},${json}]`);
  }

  /**
   * True once this reader's backlog has stayed past the shedding bound for a while: a burst
   * passes it for a moment even for a reader that keeps up; one that stopped stays past it.
   */
  private fallenBehind(): boolean {
    if (this.outbox.backlog <= RELAY_LIMITS.shedAtBufferedBytes) {
      this.behindSince = undefined;
      return false;
    }
    const now = performance.now();
    this.behindSince ??= now;
    return now - this.behindSince >= RELAY_LIMITS.shedAfterMs;
  }

  /**
   * This reader has fallen too far behind its live events: its subscriptions end with a
   * CLOSED saying where to resume, so that it, and not every other reader, pays for it.
   */
  private shed(): void {
    const subscriptions = this.relay.subscriptions;
    for (const id of subscriptions.ids(this)) {
      const since = this.lastSent.get(id);
      this.send([
        'CLOSED',
        id,
        `rate-limited: too slow to keep up; reconnect and resubscribe${since === undefined ? '' : ` with since=${since}`}`,
      ]);
      subscriptions.delete(this, id);
      this.pending.delete(id);
      this.lastSent.delete(id);
    }
    this.logger.debug({ address: this.address }, 'relay subscriber shed: too slow to keep up');
  }

  /** Refuses what cannot be queued at once; queues the rest, starting signature checks early. */
  private receive(data: RawData, isBinary: boolean): void {
    if (isBinary) return this.send(['NOTICE', 'invalid: binary messages are not supported']);
    // NIP-11 states max_message_length in bytes of UTF-8: measure the frame, not the decoded string.
    if (byteLength(data) > RELAY_LIMITS.maxMessageLength) {
      return this.send(['NOTICE', `invalid: message is longer than ${RELAY_LIMITS.maxMessageLength} bytes`]);
    }
    const message = parseMessage(data.toString());
    if (this.queue.full) {
      const refusal = 'rate-limited: too many pending messages; wait for answers before sending more';
      // An EVENT is answered with its OK even so: its sender waits for one.
      const id = Array.isArray(message) && message[0] === 'EVENT' ? eventId(message[1]) : undefined;
      return this.send(id === undefined ? ['NOTICE', refusal] : ['OK', id, false, refusal]);
    }
    // Verification reads no state, so a burst of EVENTs is verified together, ahead of its turn.
    const signed = Array.isArray(message) && (message[0] === 'EVENT' || message[0] === 'AUTH');
    const verified = signed ? this.relay.verify(message[1]) : undefined;
    const queuedAt = performance.now();
    this.queue.push(
      () =>
        this.handle(message, verified, queuedAt).catch((error: unknown) => {
          this.logger.error({ err: error }, 'relay message failed');
          this.send(['NOTICE', 'error: the relay failed to handle that message']);
        }),
      { overlaps: Array.isArray(message) && message[0] === 'EVENT' && overlaps(message[1]) },
    );
  }

  private async handle(message: unknown[] | string, verified: Promise<Verified> | undefined, queuedAt: number): Promise<Rest | void> {
    if (typeof message === 'string') return this.send(['NOTICE', message]);
    switch (message[0]) {
      case 'EVENT':
        return this.onEvent(message[1], verified, queuedAt);
      case 'REQ':
        return this.onReq(message[1], message.slice(2));
      case 'CLOSE':
        return this.onClose(message[1]);
      case 'AUTH':
        return this.onAuth(message[1], verified);
      default:
        return this.send(['NOTICE', `invalid: unknown message type ${JSON.stringify(message[0]).slice(0, 40)}`]);
    }
  }

  /**
   * Runs an EVENT's checks and hands it to storage; resolves then, with what is left (its
   * commit and OK) as the rest. OKs are sent in the order the EVENTs came, each after the one before.
   */
  private async onEvent(event: unknown, verified: Promise<Verified> | undefined, queuedAt: number): Promise<Rest | void> {
    const id = eventId(event);
    if (id === undefined) return this.send(['NOTICE', 'invalid: EVENT must carry an event object with an id']);
    // The sender waits on this OK: one that would come too late is better a refusal now.
    if (performance.now() - queuedAt > RELAY_LIMITS.okWithinMs) {
      return this.answer(id, Promise.resolve(OVERLOADED));
    }
    const context = { access: this.access, ...(this.address !== undefined && { address: this.address }) };
    let verdict: Promise<Verdict>;
    try {
      // Its place in storage's order is taken once `enqueue` resolves; the commit may overlap what follows.
      ({ verdict } = await this.relay.enqueue(event, context, verified));
    } catch (error) {
      verdict = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return this.answer(id, verdict);
  }

  /** Sends an EVENT's OK once it is known and every earlier OK is sent. */
  private answer(id: string, verdict: Promise<Verdict>): Rest {
    const known = verdict.catch((error: unknown): Verdict => {
      // The client waits for an OK to every EVENT: a failure must answer it too.
      this.logger.error({ err: error }, 'relay could not handle an event');
      return STORE_FAILED;
    });
    const rest = Promise.all([this.answered, known]).then(([, { accepted, message }]) => this.send(['OK', id, accepted, message]));
    this.answered = rest;
    return { rest };
  }

  /** NIP-42: a signed kind 22242 answering this connection's challenge; answered with OK like an EVENT. */
  private async onAuth(event: unknown, verified: Promise<Verified> | undefined): Promise<void> {
    const id = eventId(event);
    if (id === undefined || !verified) return this.send(['NOTICE', 'invalid: AUTH must carry a signed kind 22242 event with an id']);
    if (!this.auth) return this.send(['OK', id, false, 'restricted: this relay does not take AUTH']);
    const checked = await verified;
    const refusal = checked.ok ? this.auth.admit(checked.event, this.challenge, this.access) : checked.verdict.message;
    this.send(['OK', id, refusal === undefined, refusal ?? '']);
  }

  private async onReq(subscriptionId: unknown, rawFilters: unknown[]): Promise<void> {
    if (typeof subscriptionId !== 'string' || subscriptionId.length === 0) {
      return this.send(['NOTICE', 'invalid: REQ needs a subscription id string']);
    }
    if (subscriptionId.length > RELAY_LIMITS.maxSubidLength) {
      return this.send(['CLOSED', subscriptionId, `invalid: subscription id is longer than ${RELAY_LIMITS.maxSubidLength}`]);
    }
    if (rawFilters.length === 0) return this.send(['CLOSED', subscriptionId, 'invalid: REQ needs at least one filter']);
    if (rawFilters.length > RELAY_LIMITS.maxFilters) {
      return this.send(['CLOSED', subscriptionId, `invalid: more than ${RELAY_LIMITS.maxFilters} filters`]);
    }
    const filters: Filter[] = [];
    for (const raw of rawFilters) {
      const filter = parseFilter(raw);
      if (typeof filter === 'string') return this.send(['CLOSED', subscriptionId, `invalid: ${filter}`]);
      filters.push(filter);
    }
    const subscriptions = this.relay.subscriptions;
    if (!subscriptions.has(this, subscriptionId) && subscriptions.count(this) >= RELAY_LIMITS.maxSubscriptions) {
      return this.send([
        'CLOSED',
        subscriptionId,
        `rate-limited: more than ${RELAY_LIMITS.maxSubscriptions} open subscriptions; CLOSE one first`,
      ]);
    }

    // Subscribe before querying so nothing published meanwhile is lost; hold live events until EOSE.
    this.pending.set(subscriptionId, []);
    subscriptions.set(this, subscriptionId, filters);
    let stored: NostrEvent[];
    try {
      stored = await this.relay.query(filters, this.access);
    } catch (error) {
      this.pending.delete(subscriptionId);
      subscriptions.delete(this, subscriptionId);
      this.logger.error({ err: error }, 'relay query failed');
      return this.send(['CLOSED', subscriptionId, 'error: the query failed; try again']);
    }
    const held = this.pending.get(subscriptionId);
    this.pending.delete(subscriptionId);
    // Closed (or replaced) while the query ran: its answer is no longer wanted.
    if (!held || !subscriptions.has(this, subscriptionId)) return;
    for (const event of stored) this.send(['EVENT', subscriptionId, event]);
    this.send(['EOSE', subscriptionId]);
    const sent = new Set(stored.map((event) => event.id));
    for (const event of held) if (!sent.has(event.id)) this.deliver(subscriptionId, event, JSON.stringify(event));
  }

  private onClose(subscriptionId: unknown): void {
    if (typeof subscriptionId !== 'string') return this.send(['NOTICE', 'invalid: CLOSE needs a subscription id string']);
    this.pending.delete(subscriptionId);
    this.lastSent.delete(subscriptionId);
    this.relay.subscriptions.delete(this, subscriptionId);
  }

  private send(message: RelayMessage): void {
    this.write(JSON.stringify(message));
  }

  private write(frame: string): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.outbox.backlog > RELAY_LIMITS.maxBufferedBytes) {
      // A reader this far behind would hold unbounded memory: let it reconnect and catch up.
      this.outbox.clear();
      this.socket.close(1008, 'too slow: the relay could not keep up with sending to you');
      return;
    }
    this.outbox.push(frame);
  }
}

const OVERLOADED: Verdict = { accepted: false, message: 'rate-limited: the relay is overloaded; send this event again in a few seconds' };
const STORE_FAILED: Verdict = { accepted: false, message: 'error: the relay could not store this event; try again later' };

/**
 * Whether an EVENT may overlap the messages after it: not one that later checks read back
 * before it is stored (a deletion, a moderation event, a reference to another event, whose
 * own checks read the store), so those run alone, after everything before them.
 */
function overlaps(event: unknown): boolean {
  if (typeof event !== 'object' || event === null) return true;
  const { kind, tags } = event as { kind?: unknown; tags?: unknown };
  if (kind === KIND.deletion || (typeof kind === 'number' && MODERATION_KINDS.includes(kind))) return false;
  return !Array.isArray(tags) || !tags.some((tag) => Array.isArray(tag) && tag[0] === 'e');
}

function eventId(event: unknown): string | undefined {
  const id = typeof event === 'object' && event !== null && 'id' in event ? (event as { id: unknown }).id : undefined;
  return typeof id === 'string' ? id : undefined;
}

function byteLength(data: RawData): number {
  return Array.isArray(data) ? data.reduce((total, chunk) => total + chunk.byteLength, 0) : data.byteLength;
}

/** A NIP-01 message as a JSON array starting with its type, or the NOTICE refusing it. */
function parseMessage(text: string): unknown[] | string {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return 'invalid: message is not valid JSON';
  }
  if (!Array.isArray(message) || typeof message[0] !== 'string') {
    return 'invalid: a message must be a JSON array starting with its type';
  }
  return message;
}
