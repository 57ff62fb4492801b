import { nostrEventSchema, type NostrEvent } from '../protocol/nostr-event.js';
import { classifyKind } from 'nostr-tools/kinds';
import type { EventBus } from './event-bus.js';
import type { Filter } from './filter.js';
import { RELAY_LIMITS } from './limits.js';
import type { EventContext, Policy } from './policies/policy.js';
import type { PrivateStreams, StreamAccess } from './private-streams.js';
import type { EventStore } from './store/event-store.js';
import { SubscriptionRegistry, type Subscriber } from './subscriptions.js';
import type { EventVerifier, VerifyOutcome } from './verify/event-verifier.js';

/** The answer to an EVENT, as NIP-01's `["OK", id, accepted, message]`. */
export interface Verdict {
  readonly accepted: boolean;
  readonly message: string;
}

/** The stateless checks' answer: the event, or the refusal to send. */
export type Verified = { readonly ok: true; readonly event: NostrEvent } | { readonly ok: false; readonly verdict: Verdict };

export interface RelayParts {
  readonly store: EventStore;
  readonly verifier: EventVerifier;
  readonly policy: Policy;
  readonly bus: EventBus;
  /** Told every verdict, for the service's metrics. */
  readonly onVerdict?: (verdict: Verdict) => void;
  /** Takes out of query results what must not be served to `access` (chat messages a host removed). */
  readonly hide?: (events: NostrEvent[], access: StreamAccess | undefined) => Promise<NostrEvent[]>;
  /** Who may read what concerns a private stream; without it everything is served to everyone. */
  readonly privacy?: PrivateStreams;
}

/**
 * The relay's core, apart from any socket: checks, stores and fans out events, and
 * answers queries. Connections (and the service's own publisher) talk to it.
 *
 *   const verdict = await relay.accept(event);        // the OK answer
 *   relay.subscriptions.set(connection, 'sub', filters);
 */
export class Relay {
  readonly subscriptions = new SubscriptionRegistry();

  /** Live events in bus order: deciding who may read one can wait on a lookup, and must not reorder them. */
  private delivering: Promise<void> = Promise.resolve();

  constructor(private readonly parts: RelayParts) {
    parts.bus.onEvent((event) => {
      this.delivering = this.delivering.then(() => this.fanOut(event));
    });
  }

  /** Delivers a live event (from this node or, over the bus, another) to the subscriptions that may read it. */
  private async fanOut(event: NostrEvent): Promise<void> {
    const mayRead = this.parts.privacy ? await this.parts.privacy.readers(event) : () => true;
    // Serialised once for every subscriber, not once each.
    let json: string | undefined;
    for (const { subscriber, id } of this.subscriptions.matching(event)) {
      if (mayRead(subscriber.access)) subscriber.deliver(id, event, (json ??= JSON.stringify(event)));
    }
  }

  /**
   * Runs an incoming event through every check, then stores and delivers it. `verified` is
   * `verify(input)`'s answer when the caller started it ahead of time.
   */
  async accept(input: unknown, context: EventContext = {}, verified = this.verify(input)): Promise<Verdict> {
    return (await this.enqueue(input, context, verified)).verdict;
  }

  /**
   * `accept` in two steps, for a connection that overlaps a burst of EVENTs: resolves once
   * the event has passed the rules that read state and holds its place in storage's order
   * (saves are applied in the order asked), with `verdict`, its OK, to come once it is stored.
   */
  async enqueue(input: unknown, context: EventContext = {}, verified = this.verify(input)): Promise<{ readonly verdict: Promise<Verdict> }> {
    const checked = await verified;
    if (!checked.ok) return this.told(Promise.resolve(checked.verdict));
    const refusal = await this.parts.policy.check(checked.event, context);
    return this.told(refusal ? Promise.resolve(refuse(refusal)) : this.keep(checked.event));
  }

  private told(verdict: Promise<Verdict>): { readonly verdict: Promise<Verdict> } {
    return {
      verdict: verdict.then((known) => {
        this.parts.onVerdict?.(known);
        return known;
      }),
    };
  }

  /**
   * Shape, id and signature: the checks that read no state, so a connection may start them
   * for a burst of EVENTs at once (the verifier batches them) while it handles its messages
   * in order. Never rejects.
   */
  async verify(input: unknown): Promise<Verified> {
    const parsed = nostrEventSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return unverified(`invalid: ${issue?.path.join('.') || 'event'} ${issue?.message ?? 'is malformed'}`);
    }
    const event = parsed.data;
    let outcome: VerifyOutcome;
    try {
      // The id's hash is recomputed by the verifier thread, off this one.
      outcome = await this.parts.verifier.verify(event);
    } catch {
      return unverified('error: the signature could not be checked; try again');
    }
    if (outcome === 'bad-id') return unverified('invalid: event id does not match its content');
    if (outcome === 'bad-signature') return unverified('invalid: signature verification failed');
    return { ok: true, event };
  }

  /** Stores (unless ephemeral) and delivers an event that has passed every check; asks the store at once (its order is the call order). */
  private async keep(event: NostrEvent): Promise<Verdict> {
    if (classifyKind(event.kind) === 'ephemeral') {
      await this.parts.bus.publish(event);
      return { accepted: true, message: '' };
    }
    const result = await this.parts.store.save(event);
    if (result.ok && !result.message.startsWith('duplicate:')) await this.parts.bus.publish(event);
    return { accepted: result.ok, message: result.message };
  }

  /** Stored events for the filters, without those `access` may not read (whatever the filter, `ids` included). */
  async query(filters: readonly Filter[], access?: StreamAccess): Promise<NostrEvent[]> {
    const stored = await this.parts.store.query(filters, RELAY_LIMITS.maxLimit);
    const shown = this.parts.privacy ? await this.parts.privacy.readable(stored, access) : stored;
    return this.parts.hide ? this.parts.hide(shown, access) : shown;
  }

  unsubscribeAll(subscriber: Subscriber): void {
    this.subscriptions.deleteAll(subscriber);
  }
}

function refuse(message: string): Verdict {
  return { accepted: false, message };
}

function unverified(message: string): Verified {
  return { ok: false, verdict: refuse(message) };
}
