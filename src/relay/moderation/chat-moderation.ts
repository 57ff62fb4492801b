import { MODERATION_KINDS, parseModeration } from '../../protocol/moderation.js';
import { KIND } from '../../protocol/kinds.js';
import type { NostrEvent } from '../../protocol/nostr-event.js';
import type { StreamAccess } from '../private-streams.js';
import type { EventStore } from '../store/event-store.js';
import { canModerate, type OurCoordinates, type StreamDirectory } from '../policies/stream-directory.js';

interface ChatState {
  /** The moderation events folded in, so a NIP-09 deletion of one can undo it. */
  readonly sources: Set<string>;
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
 * ones arrive on the bus (so every node agrees). A moderator undoes a removal the Nostr way,
 * with a NIP-09 deletion (kind 5) of their own 9005: the store drops it and the chat's state
 * is folded again without it, so the message is served again.
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
   * the service's totals still count it; only the line goes. A connection that proved (NIP-42)
   * a host or moderator of the stream still reads them: the dashboard lists them to restore.
   */
  async hideRemoved(events: NostrEvent[], access?: StreamAccess): Promise<NostrEvent[]> {
    const kept: NostrEvent[] = [];
    for (const event of events) {
      if (!HIDEABLE_KINDS.has(event.kind) || !(await this.isRemoved(event, access))) kept.push(event);
    }
    return kept;
  }

  /** A moderation event the relay accepted (it has passed ModerationPolicy), or a deletion that may undo one. */
  async observe(event: NostrEvent): Promise<void> {
    if (event.kind === KIND.deletion) return this.forgetDeleted(event);
    if (!MODERATION_KINDS.includes(event.kind)) return;
    for (const { coordinate } of this.ours.named(event)) {
      const pending = this.chats.get(coordinate);
      if (pending) apply(await pending, event);
    }
  }

  /**
   * A deletion names events by id: a chat whose state folded in one of them is read again from
   * the store, which has already dropped what its author deleted (a deletion by anyone else
   * deletes nothing there, and the state read again is the same).
   */
  private async forgetDeleted(deletion: NostrEvent): Promise<void> {
    const ids = deletion.tags.flatMap(([name, id]) => (name === 'e' && id !== undefined ? [id] : []));
    for (const [coordinate, pending] of [...this.chats]) {
      const state = await pending.catch(() => undefined);
      if (state && ids.some((id) => state.sources.has(id)) && this.chats.get(coordinate) === pending) this.chats.delete(coordinate);
    }
  }

  private async isRemoved(event: NostrEvent, access: StreamAccess | undefined): Promise<boolean> {
    for (const { coordinate, streamId } of this.ours.named(event)) {
      if (!(await this.state(coordinate, streamId)).removed.has(event.id)) continue;
      if (!access || access.pubkeys.size === 0) return true;
      const stream = await this.streams.find(streamId);
      if (!stream || ![...access.pubkeys].some((pubkey) => canModerate(stream, pubkey))) return true;
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
    const state: ChatState = { sources: new Set(), removed: new Set(), bans: new Map() };
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
  state.sources.add(event.id);
  if (action.type === 'remove') for (const id of action.messages) state.removed.add(id);
  else if (action.type === 'ban') state.bans.set(action.user, action.until ?? Number.POSITIVE_INFINITY);
  else state.bans.delete(action.user);
}
