import { createHmac, timingSafeEqual } from 'node:crypto';
import { unixNow } from '../protocol/time.js';

/**
 * Signed, expiring permission to fetch one stream's playlists and segments: how a private
 * stream's shared link and the owner's preview of a not-yet-public stream get through the
 * HLS origin. The token travels as `?token=` and the origin copies it into the playlists
 * it serves, so players need no special support.
 *
 *   const tokens = new PlaybackTokens(secret);
 *   const token = tokens.issue(streamId, 'view', 24 * 3600);
 *   tokens.verify(token, streamId) // 'view' | 'preview' | undefined
 */
export type PlaybackScope = 'view' | 'preview';

const EXPIRY_STEP_SECONDS = 3600;

export class PlaybackTokens {
  constructor(
    private readonly secret: Buffer,
    private readonly now: () => number = unixNow,
  ) {}

  /**
   * Valid for at least `ttlSeconds`. The expiry is rounded up to the next whole hour, so every
   * token issued within the hour is the same string: a page that refetches a stream's status
   * keeps the same playback URL and does not restart its player.
   */
  issue(streamId: string, scope: PlaybackScope, ttlSeconds: number): string {
    const expires = Math.ceil((this.now() + ttlSeconds) / EXPIRY_STEP_SECONDS) * EXPIRY_STEP_SECONDS;
    const body = `${scope}.${expires.toString(36)}`;
    return `${body}.${this.mac(streamId, body)}`;
  }

  verify(token: string, streamId: string): PlaybackScope | undefined {
    const [scope, expires, mac] = token.split('.');
    if ((scope !== 'view' && scope !== 'preview') || !expires || !mac) return undefined;
    const expected = Buffer.from(this.mac(streamId, `${scope}.${expires}`));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    if (parseInt(expires, 36) < this.now()) return undefined;
    return scope;
  }

  private mac(streamId: string, body: string): string {
    return createHmac('sha256', this.secret).update(`${streamId}.${body}`).digest('base64url');
  }
}
