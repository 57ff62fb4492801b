import { describe, expect, it } from 'vitest';
import { sessionCookie, sessionFromCookie, SESSION_COOKIE_SECONDS } from './session-cookie.js';

describe('the viewer-session cookie', () => {
  it('is HttpOnly, SameSite=Lax, under /hls, for the session window', () => {
    expect(sessionCookie('abcdefgh1234')).toBe(`wl_sid=abcdefgh1234; Max-Age=${SESSION_COOKIE_SECONDS}; Path=/hls; HttpOnly; SameSite=Lax`);
  });

  it('is read back from a Cookie header among others, and ignored when malformed', () => {
    expect(sessionFromCookie('theme=dark; wl_sid=abcdefgh1234; other=1')).toBe('abcdefgh1234');
    expect(sessionFromCookie('wl_sid=short')).toBeUndefined();
    expect(sessionFromCookie('wl_sid=has space inside')).toBeUndefined();
    expect(sessionFromCookie('wl_sid=abcdefgh1234=extra')).toBeUndefined();
    expect(sessionFromCookie(undefined)).toBeUndefined();
  });
});
