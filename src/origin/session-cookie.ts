import { createHash } from 'node:crypto';

/**
 * The viewer-session cookie (`wl_sid`): the multivariant playlist's answer sets it, so a
 * player that reloads the page sends it back and stays the same viewer instead of becoming
 * a second one. HttpOnly (no script needs it), SameSite=Lax, and only under /hls.
 *
 *   const sid = sessionFromCookie(request.headers.cookie);
 *   reply.header('Set-Cookie', sessionCookie(sid));
 */
export const SESSION_COOKIE = 'wl_sid';
/** How long a browser stays the same viewer after opening a stream: about a long stream's length. */
export const SESSION_COOKIE_SECONDS = 2 * 3600;
/** What the origin accepts as a session id, from the query (`sid`) or this cookie. */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{8,32}$/;

/** The session id a Cookie header carries, if it carries a well-formed one. */
export function sessionFromCookie(header: string | undefined): string | undefined {
  for (const pair of header?.split(';') ?? []) {
    const equals = pair.indexOf('=');
    if (equals < 0 || pair.slice(0, equals).trim() !== SESSION_COOKIE) continue;
    const value = pair.slice(equals + 1).trim();
    if (SESSION_ID_PATTERN.test(value)) return value;
  }
  return undefined;
}

export function sessionCookie(sessionId: string): string {
  return `${SESSION_COOKIE}=${sessionId}; Max-Age=${SESSION_COOKIE_SECONDS}; Path=/hls; HttpOnly; SameSite=Lax`;
}

/** A player that fetched a media playlist directly, without a session id: one per address and browser. */
export function anonymousSessionId(address: string, userAgent: string): string {
  return createHash('sha256').update(`${address}\n${userAgent}`).digest('base64url').slice(0, 16);
}
