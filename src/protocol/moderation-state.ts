import type { Deletion } from './deletion.js';
import type { Moderation } from './moderation.js';

/** A user who may not chat: `until` in Unix seconds, or undefined for a ban for good. */
export interface ActiveBan {
  readonly user: string;
  readonly until?: number;
  /** The ban event (kind 9001), by whom and when. */
  readonly moderation: Moderation;
}

/**
 * One chat's moderation folded from its events (kinds 9005, 9001, 9000), whatever order they
 * arrive in: a user's newest ban or unban decides, and a moderator's NIP-09 deletion of their
 * own event withdraws it (a restored message, a ban undone). The relay and the web app fold
 * with this one class, so both agree on what is hidden and who is banned.
 *
 *   const state = new ModerationState();
 *   state.apply(parsedModeration);  state.withdraw(parsedDeletion);
 *   state.removed.has(messageId);   state.bannedUntil(pubkey, now);
 */
export class ModerationState {
  private readonly events = new Map<string, Moderation>();
  /** Arrival order, which breaks created_at ties: the later arrival wins, as a relay's replay does. */
  private readonly arrival = new Map<string, number>();
  private arrivals = 0;
  private derived: { removed: Set<string>; bans: Map<string, ActiveBan> } | undefined;

  /** True when the event is new here. */
  apply(moderation: Moderation): boolean {
    if (this.events.has(moderation.id)) return false;
    this.events.set(moderation.id, moderation);
    this.arrival.set(moderation.id, this.arrivals++);
    this.derived = undefined;
    return true;
  }

  /** Withdraws what the deletion names of its author's own moderation events; true when it withdrew any. */
  withdraw(deletion: Pick<Deletion, 'author' | 'events'>): boolean {
    let changed = false;
    for (const id of deletion.events) {
      if (this.events.get(id)?.moderator !== deletion.author) continue;
      this.events.delete(id);
      changed = true;
    }
    if (changed) this.derived = undefined;
    return changed;
  }

  /** Ids of the messages (and zap receipts) removed from the chat. */
  get removed(): ReadonlySet<string> {
    return this.derive().removed;
  }

  /** The removals in force, newest first. */
  get removals(): Moderation[] {
    return [...this.events.values()].filter((event) => event.action.type === 'remove').sort((a, b) => this.newer(b, a));
  }

  /** Bans and time-outs in force at `now`. */
  bans(now: number): ActiveBan[] {
    return [...this.derive().bans.values()].filter((ban) => ban.until === undefined || ban.until > now);
  }

  /** Until when `user` may not chat (Infinity: for good), or undefined when they may. */
  bannedUntil(user: string, now: number): number | undefined {
    const ban = this.derive().bans.get(user);
    if (!ban) return undefined;
    const until = ban.until ?? Number.POSITIVE_INFINITY;
    return until > now ? until : undefined;
  }

  /** Positive when `a` came after `b`. */
  private newer(a: Moderation, b: Moderation): number {
    return a.createdAt - b.createdAt || (this.arrival.get(a.id) ?? 0) - (this.arrival.get(b.id) ?? 0);
  }

  private derive(): { removed: Set<string>; bans: Map<string, ActiveBan> } {
    if (this.derived) return this.derived;
    const removed = new Set<string>();
    const latest = new Map<string, Moderation>();
    for (const event of this.events.values()) {
      const { action } = event;
      if (action.type === 'remove') for (const id of action.messages) removed.add(id);
      else {
        const known = latest.get(action.user);
        if (!known || this.newer(event, known) > 0) latest.set(action.user, event);
      }
    }
    const bans = new Map<string, ActiveBan>();
    for (const [user, event] of latest) {
      if (event.action.type !== 'ban') continue;
      bans.set(user, { user, moderation: event, ...(event.action.until !== undefined && { until: event.action.until }) });
    }
    this.derived = { removed, bans };
    return this.derived;
  }
}
