import { parseDeletion } from '../../protocol/deletion.js';
import { MODERATION_KINDS, parseModeration } from '../../protocol/moderation.js';
import { ModerationState } from '../../protocol/moderation-state.js';
import { KIND } from '../../protocol/kinds.js';
import type { NostrEvent } from '../../protocol/nostr-event.js';
import type { StreamAccess } from '../private-streams.js';
import type { EventStore } from '../store/event-store.js';
import { canModerate, type OurCoordinates, type StreamDirectory } from '../policies/stream-directory.js';

const MAX_CACHED_STREAMS = 1000;

/** What a removal (kind 9005) takes out of the chat. */
const HIDEABLE_KINDS: ReadonlySet<number> = new Set([KIND.liveChat, KIND.zapReceipt]);

/**
 * The moderation state of this service's live chats, folded from the host-signed
 * moderation events (kinds 9005, 9001, 9000) in the relay's store and kept current as new
 * ones arrive on the bus (so every node agrees). A moderator undoes a removal the Nostr way,
 * with a NIP-09 deletion (kind 5) of their own 9005: the store drops it and the state
 * withdraws it, so the message is served again.
 *
 *   const moderation = new ChatModeration(ours, store, directory);
 *   bus.onEvent((event) => moderation.observe(event));
 *   await moderation.bannedUntil(coordinate, pubkey);   // undefined when not banned
 */
export class ChatModeration {
  private readonly chats = new Map<string, Promise<ModerationState>>();

  constructor(
    private readonly ours: OurCoordinates,
    private readonly store: EventStore,
    private readonly streams: StreamDirectory,
  ) {}

  /** Until when `pubkey` may not chat in the stream (Infinity: for good), or undefined. */
  async bannedUntil(coordinate: string, pubkey: string, now: number): Promise<number | undefined> {
    const streamId = this.ours.streamId(coordinate);
    if (streamId === undefined) return undefined;
    return (await this.state(coordinate, streamId)).bannedUntil(pubkey, now);
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
    const moderation = parseModeration(event);
    if (!moderation.ok) return;
    for (const { coordinate } of this.ours.named(event)) {
      const pending = this.chats.get(coordinate);
      if (pending) (await pending).apply(moderation.value);
    }
  }

  /** A deletion names events by id, not the chat: every chat in memory withdraws what it names of its author's. */
  private async forgetDeleted(event: NostrEvent): Promise<void> {
    const deletion = parseDeletion(event);
    if (!deletion.ok) return;
    for (const pending of [...this.chats.values()]) (await pending.catch(() => undefined))?.withdraw(deletion.value);
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

  private state(coordinate: string, streamId: string): Promise<ModerationState> {
    let state = this.chats.get(coordinate);
    if (!state) {
      if (this.chats.size >= MAX_CACHED_STREAMS) this.chats.clear();
      state = this.load(coordinate, streamId);
      this.chats.set(coordinate, state);
      state.catch(() => this.chats.delete(coordinate));
    }
    return state;
  }

  private async load(coordinate: string, streamId: string): Promise<ModerationState> {
    const state = new ModerationState();
    const stream = await this.streams.find(streamId);
    if (!stream) return state;
    const events = await this.store.query(
      [{ kinds: [...MODERATION_KINDS], '#a': [coordinate], limit: 5000 }],
      5000,
    );
    // Oldest first, so that at the same second the later one stored wins, as it did live.
    for (const event of events.reverse()) {
      const moderation = parseModeration(event);
      if (moderation.ok && canModerate(stream, event.pubkey)) state.apply(moderation.value);
    }
    return state;
  }
}
