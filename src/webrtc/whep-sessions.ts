import type { MediaFeeds } from '../packager/media-feeds.js';
import { WhepSession } from './whep-session.js';

export type OpenOutcome =
  | { readonly ok: true; readonly session: WhepSession }
  | { readonly ok: false; readonly reason: 'full' };

/**
 * The real-time viewers of every stream on this node, at most `maxPerStream` each. A place is
 * taken before negotiating, so viewers arriving together cannot pass the limit between them.
 *
 *   const sessions = new WhepSessions(feeds, 20);
 *   const opened = await sessions.open(streamId, '720p', offer);   // { ok: false, reason: 'full' } past 20
 *   await sessions.close(streamId, opened.session.id);
 */
export class WhepSessions {
  private readonly byStream = new Map<string, Map<string, WhepSession>>();
  private readonly negotiating = new Map<string, number>();

  constructor(
    private readonly feeds: MediaFeeds,
    readonly maxPerStream: number,
  ) {}

  count(streamId: string): number {
    return (this.byStream.get(streamId)?.size ?? 0) + (this.negotiating.get(streamId) ?? 0);
  }

  async open(streamId: string, videoFeed: string | undefined, offer: string): Promise<OpenOutcome> {
    if (this.count(streamId) >= this.maxPerStream) return { ok: false, reason: 'full' };
    this.negotiating.set(streamId, (this.negotiating.get(streamId) ?? 0) + 1);
    try {
      const session = await WhepSession.answer({
        feeds: this.feeds,
        streamId,
        videoFeed,
        offer,
        onClose: (closed) => this.forget(streamId, closed.id),
      });
      const sessions = this.byStream.get(streamId) ?? new Map<string, WhepSession>();
      sessions.set(session.id, session);
      this.byStream.set(streamId, sessions);
      return { ok: true, session };
    } finally {
      const left = (this.negotiating.get(streamId) ?? 1) - 1;
      if (left === 0) this.negotiating.delete(streamId);
      else this.negotiating.set(streamId, left);
    }
  }

  /** False when there is no such session (closed already, or another stream's). */
  async close(streamId: string, sessionId: string): Promise<boolean> {
    const session = this.byStream.get(streamId)?.get(sessionId);
    if (!session) return false;
    await session.close();
    return true;
  }

  async closeAll(): Promise<void> {
    const all = [...this.byStream.values()].flatMap((sessions) => [...sessions.values()]);
    await Promise.all(all.map((session) => session.close()));
  }

  private forget(streamId: string, sessionId: string): void {
    const sessions = this.byStream.get(streamId);
    sessions?.delete(sessionId);
    if (sessions?.size === 0) this.byStream.delete(streamId);
  }
}
