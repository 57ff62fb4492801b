import { useEffect, useMemo } from 'react';
import type { Filter } from 'nostr-tools/filter';
import { finalizeEvent, generateSecretKey, type EventTemplate } from 'nostr-tools/pure';
import { Relay, type Subscription } from 'nostr-tools/relay';
import { formatCoordinate, type Coordinate } from '../../../src/protocol/coordinate';
import { pool, type NostrEvent } from './nostr';
import { readableRefusal } from './relay-refusal';

/**
 * Where a stream's chat, reactions and reports are read and sent. A public stream's go to
 * every relay the page knows (through the shared pool); a private stream's only to this
 * service's relay, on a connection of their own that has answered its NIP-42 challenge with
 * the stream's token (the relay serves a private chat to nobody else).
 *
 *   const channel = useChatChannel(stream, relays, isPrivate ? { relay: info.relay, token } : undefined);
 *   const stop = channel.subscribe({ kinds: [KIND.liveChat], '#a': [address] }, onevent);
 */
export interface ChatChannel {
  /** Changes when the channel does: effects that subscribe depend on it. */
  readonly key: string;
  subscribe(filter: Filter, onevent: (event: NostrEvent) => void): () => void;
  /** Resolves once a relay accepted the event; rejects with the relay's reason. */
  publish(event: NostrEvent): Promise<void>;
}

export interface PrivateAccess {
  /** This service's relay (`/api/v1/info`'s `relay`). */
  readonly relay: string;
  /** The stream's playback token (the shared link's, or the owner's preview). */
  readonly token: string | undefined;
}

export function useChatChannel(stream: Coordinate | undefined, relays: string[], access: PrivateAccess | undefined): ChatChannel {
  const address = stream ? formatCoordinate(stream) : '';
  const relayKey = relays.join(',');
  const channel = useMemo<ChatChannel & { close?(): void }>(
    () => (access && stream ? new PrivateChannel(access.relay, access.token, address) : publicChannel(relays)),
    // The channel is what these say it is; the arrays are compared by content.
    [access?.relay, access?.token, address, relayKey],
  );
  useEffect(() => () => channel.close?.(), [channel]);
  return channel;
}

function publicChannel(relays: string[]): ChatChannel {
  return {
    key: relays.join(','),
    subscribe(filter, onevent) {
      if (relays.length === 0) return () => undefined;
      const subscription = pool.subscribeMany(relays, filter, { onevent });
      return () => subscription.close();
    },
    async publish(event) {
      try {
        await Promise.any(pool.publish(relays, event));
      } catch (failure) {
        throw refusal(failure);
      }
    },
  };
}

const RETRY_MS = 2000;

interface Entry {
  readonly filter: Filter;
  readonly onevent: (event: NostrEvent) => void;
  subscription?: Subscription;
}

/** One authenticated connection to this service's relay, reopened (and re-authenticated) when it drops. */
class PrivateChannel implements ChatChannel {
  readonly key: string;
  /** The token opens the stream, whoever signs: a throwaway key spares a signed-out viewer a sign-in, a signed-in one a prompt. */
  private readonly secret = generateSecretKey();
  private readonly entries = new Set<Entry>();
  private relay: Promise<Relay> | undefined;
  private closed = false;
  /** Counts connections, so that the end of one hung up on purpose is not taken for a drop. */
  private generation = 0;

  constructor(
    private readonly url: string,
    private readonly token: string | undefined,
    private readonly address: string,
  ) {
    this.key = `${url} ${address} ${token ?? ''}`;
  }

  subscribe(filter: Filter, onevent: (event: NostrEvent) => void): () => void {
    const entry: Entry = { filter, onevent };
    this.closed = false;
    this.entries.add(entry);
    void this.open(entry);
    return () => {
      this.entries.delete(entry);
      entry.subscription?.close();
    };
  }

  async publish(event: NostrEvent): Promise<void> {
    try {
      await (await this.connection()).publish(event);
    } catch (failure) {
      throw refusal(failure);
    }
  }

  /** Hangs up (the page left the stream); a later subscribe connects again. */
  close(): void {
    this.closed = true;
    this.generation += 1;
    this.entries.clear();
    const relay = this.relay;
    this.relay = undefined;
    void relay?.then((open) => open.close()).catch(() => undefined);
  }

  private async open(entry: Entry): Promise<void> {
    try {
      const relay = await this.connection();
      if (this.entries.has(entry)) entry.subscription = relay.subscribe([entry.filter], { onevent: entry.onevent });
    } catch {
      // The relay is unreachable for now: try again, as the real-time feed does.
      setTimeout(() => !this.closed && this.entries.has(entry) && void this.open(entry), RETRY_MS);
    }
  }

  private connection(): Promise<Relay> {
    this.relay ??= this.connect().catch((error: unknown) => {
      this.relay = undefined;
      throw error;
    });
    return this.relay;
  }

  private async connect(): Promise<Relay> {
    const relay = new Relay(this.url);
    const tags = this.token ? [['token', this.token, this.address]] : [];
    const sign = async (template: EventTemplate) => finalizeEvent({ ...template, tags: [...template.tags, ...tags] }, this.secret);
    // The relay sends its challenge on connect; nostr-tools answers it through onauth, and
    // nothing is asked before that answer is accepted, or it would be answered as to a stranger.
    let challenged = () => {};
    const challenge = new Promise<void>((resolve) => (challenged = resolve));
    relay.onauth = (template) => {
      challenged();
      return sign(template);
    };
    const generation = ++this.generation;
    relay.onclose = () => {
      if (generation !== this.generation || this.closed) return;
      this.relay = undefined;
      setTimeout(() => this.reopen(), RETRY_MS);
    };
    await relay.connect();
    await challenge;
    await relay.auth(sign);
    return relay;
  }

  private reopen(): void {
    if (this.closed) return;
    for (const entry of this.entries) void this.open(entry);
  }
}

/** The first relay's reason, in words for people (the relays' NIP-01 prefixes are for programs). */
export function refusal(failure: unknown): Error {
  const reasons = failure instanceof AggregateError ? failure.errors.map(String) : [String(failure)];
  const reason = reasons[0]?.replace(/^Error: /, '');
  return new Error(reason ? readableRefusal(reason) : 'The relay refused the message.');
}
