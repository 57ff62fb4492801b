import { MODERATION_KINDS, parseModeration } from '../../protocol/moderation.js';
import { KIND } from '../../protocol/kinds.js';
import type { NostrEvent } from '../../protocol/nostr-event.js';
import type { EventStore } from '../store/event-store.js';
import { canModerate, type OurCoordinates, type StreamDirectory } from '../policies/stream-directory.js';

interface ChatState {
  readonly removed: Set<string>;
  /** Banned pubkey → until (Unix seconds), or Infinity for a permanent ban. */
  readonly bans: Map<string, number>;
}

const MAX_CACHED_STREAMS = 1000;

/** What a removal (kind 9005) takes out of the chat. */
const HIDEABLE_KINDS: ReadonlySet<number> = new Set([KIND.liveChat, KIND.zapReceipt]);

/**
 * The moderation state of this service's live chats, folded from the host-signed
 * moderation events (kinds 9005, 9001, 9000) in the relay's store and kept current as new
 * ones arrive on the bus (so every node agrees).
 *
 *   const moderation = new ChatModeration(ours, store, directory);
 *   bus.onEvent((event) => moderation.observe(event));
 *   await moderation.bannedUntil(coordinate, pubkey);   // undefined when not banned
 */
export class ChatModeration {
  private readonly chats = new Map<string, Promise<ChatState>>();

  constructor(
    private readonly ours: OurCoordinates,
    private readonly store: EventStore,
    private readonly streams: StreamDirectory,
  ) {}

  /** Until when `pubkey` may not chat in the stream (Infinity: for good), or undefined. */
  async bannedUntil(coordinate: string, pubkey: string, now: number): Promise<number | undefined> {
    const streamId = this.ours.streamId(coordinate);
    if (streamId === undefined) return undefined;
    const until = (await this.state(coordinate, streamId)).bans.get(pubkey);
    return until !== undefined && until > now ? until : undefined;
  }

  /**
   * Drops from a query's results the chat lines the host removed (in any of our streams one names):
   * chat messages, and zap receipts, which show in the chat too. A hidden zap was still paid, so
   * the service's totals still count it; only the line goes.
   */
  async hideRemoved(events: NostrEvent[]): Promise<NostrEvent[]> {
    const kept: NostrEvent[] = [];
    for (const event of events) {
      if (!HIDEABLE_KINDS.has(event.kind) || !(await this.isRemoved(event))) kept.push(event);
    }
    return kept;
  }

  /** A moderation event the relay accepted (it has passed ModerationPolicy). */
  async observe(event: NostrEvent): Promise<void> {
    if (!MODERATION_KINDS.includes(event.kind)) return;
    for (const { coordinate } of this.ours.named(event)) {
      const pending = this.chats.get(coordinate);
      if (pending) apply(await pending, event);
    }
  }

  private async isRemoved(event: NostrEvent): Promise<boolean> {
    for (const { coordinate, streamId } of this.ours.named(event)) {
      if ((await this.state(coordinate, streamId)).removed.has(event.id)) return true;
    }
    return false;
  }

  private state(coordinate: string, streamId: string): Promise<ChatState> {
    let state = this.chats.get(coordinate);
    if (!state) {
      if (this.chats.size >= MAX_CACHED_STREAMS) this.chats.clear();
      state = this.load(coordinate, streamId);
      this.chats.set(coordinate, state);
      state.catch(() => this.chats.delete(coordinate));
    }
    return state;
  }

  private async load(coordinate: string, streamId: string): Promise<ChatState> {
    const state: ChatState = { removed: new Set(), bans: new Map() };
    const stream = await this.streams.find(streamId);
    if (!stream) return state;
    const events = await this.store.query(
      [{ kinds: [...MODERATION_KINDS], '#a': [coordinate], limit: 5000 }],
      5000,
    );
    // Oldest first, so a later unban lifts an earlier ban.
    for (const event of events.reverse()) {
      if (canModerate(stream, event.pubkey)) apply(state, event);
    }
    return state;
  }
}

function apply(state: ChatState, event: NostrEvent): void {
  const moderation = parseModeration(event);
  if (!moderation.ok) return;
  const { action } = moderation.value;
  if (action.type === 'remove') for (const id of action.messages) state.removed.add(id);
  else if (action.type === 'ban') state.bans.set(action.user, action.until ?? Number.POSITIVE_INFINITY);
  else state.bans.delete(action.user);
}
