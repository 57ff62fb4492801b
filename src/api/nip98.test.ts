import { createHash } from 'node:crypto';
import { finalizeEvent, generateSecretKey, getEventHash, getPublicKey } from 'nostr-tools/pure';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './errors.js';
import { NIP98_KIND, NIP98_MAX_SKEW_SECONDS, verifyNip98, type HttpRequestFacts } from './nip98.js';
import { ReplayGuard } from './replay-guard.js';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const NOW_SECONDS = Math.floor(NOW / 1000);
const URL_ = 'https://live.example.com/api/v1/streams/create';
const BODY = Buffer.from(JSON.stringify({ title: 'My first stream', category: 'music' }));
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

const secret = generateSecretKey();
const pubkey = getPublicKey(secret);

interface SignedFields {
  kind?: number;
  created_at?: number;
  tags?: string[][];
  content?: string;
}

/** A signed auth event; by default a good one for POST URL_ with BODY's payload hash. */
function authEvent(fields: SignedFields = {}) {
  return finalizeEvent(
    {
      kind: fields.kind ?? NIP98_KIND,
      created_at: fields.created_at ?? NOW_SECONDS,
      tags: fields.tags ?? [
        ['u', URL_],
        ['method', 'POST'],
        ['payload', sha256(BODY)],
      ],
      content: fields.content ?? '',
    },
    secret,
  );
}

const header = (event: unknown) => `Nostr ${Buffer.from(JSON.stringify(event)).toString('base64')}`;

const request = (overrides: Partial<HttpRequestFacts> = {}): HttpRequestFacts => ({
  method: 'POST',
  urls: [URL_],
  body: BODY,
  ...overrides,
});

/** Runs verifyNip98 expecting a 401 and answers its message. */
function refusal(authorization: string | undefined, facts: HttpRequestFacts = request(), guard = new ReplayGuard(120)): string {
  try {
    verifyNip98(authorization, facts, guard);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(401);
    expect(apiError.code).toBe('unauthorized');
    return apiError.message;
  }
  throw new Error('verifyNip98 accepted the header');
}

/** Flips the last hex digit of a hex string. */
const flipLast = (hex: string) => `${hex.slice(0, -1)}${hex.endsWith('0') ? '1' : '0'}`;

describe('verifyNip98', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  describe('accepts', () => {
    it('a good event and answers the signer pubkey', () => {
      expect(verifyNip98(header(authEvent()), request(), new ReplayGuard(120))).toBe(pubkey);
    });

    it('an event without a payload tag even when the request has a body', () => {
      const event = authEvent({ tags: [['u', URL_], ['method', 'POST']] });
      expect(verifyNip98(header(event), request(), new ReplayGuard(120))).toBe(pubkey);
    });

    it('a bodiless GET without a payload tag', () => {
      const event = authEvent({ tags: [['u', URL_], ['method', 'GET']] });
      expect(verifyNip98(header(event), request({ method: 'GET', body: undefined }), new ReplayGuard(120))).toBe(pubkey);
    });

    it('an uppercase payload hash', () => {
      const event = authEvent({ tags: [['u', URL_], ['method', 'POST'], ['payload', sha256(BODY).toUpperCase()]] });
      expect(verifyNip98(header(event), request(), new ReplayGuard(120))).toBe(pubkey);
    });

    it('a payload tag hashing the empty body when the request has none', () => {
      const event = authEvent({ tags: [['u', URL_], ['method', 'POST'], ['payload', sha256('')]] });
      expect(verifyNip98(header(event), request({ body: undefined }), new ReplayGuard(120))).toBe(pubkey);
    });

    it('a method tag in another case', () => {
      const event = authEvent({ tags: [['u', URL_], ['method', 'post']] });
      expect(verifyNip98(header(event), request(), new ReplayGuard(120))).toBe(pubkey);
    });

    it('a u tag matching any of the request URL spellings', () => {
      const hostUrl = 'http://127.0.0.1:8080/api/v1/streams/create';
      const event = authEvent({ tags: [['u', hostUrl], ['method', 'POST']] });
      expect(verifyNip98(header(event), request({ urls: [URL_, hostUrl] }), new ReplayGuard(120))).toBe(pubkey);
    });

    it('a u tag that differs only in URL normalisation (host case, default port)', () => {
      const event = authEvent({ tags: [['u', 'https://LIVE.example.com:443/api/v1/streams/create'], ['method', 'POST']] });
      expect(verifyNip98(header(event), request(), new ReplayGuard(120))).toBe(pubkey);
    });

    it.each([-NIP98_MAX_SKEW_SECONDS, NIP98_MAX_SKEW_SECONDS])('created_at exactly %i s from now', (offset) => {
      const event = authEvent({ created_at: NOW_SECONDS + offset });
      expect(verifyNip98(header(event), request(), new ReplayGuard(120))).toBe(pubkey);
    });

    it('the lowercase scheme word and surrounding spaces', () => {
      const value = `  nostr   ${Buffer.from(JSON.stringify(authEvent())).toString('base64')}  `;
      expect(verifyNip98(value, request(), new ReplayGuard(120))).toBe(pubkey);
    });
  });

  describe('refuses', () => {
    it.each([
      ['no header', undefined],
      ['an empty header', ''],
      ['another scheme', `Bearer ${Buffer.from(JSON.stringify({})).toString('base64')}`],
      ['the scheme without a token', 'Nostr '],
      ['two tokens', 'Nostr abc def'],
    ])('%s as missing NIP-98 authorization', (_label, value) => {
      expect(refusal(value)).toMatch(/^Missing NIP-98 authorization/);
    });

    it('a token that is not base64', () => {
      expect(refusal('Nostr %%%not-base64%%%')).toMatch(/not base64-encoded JSON/);
    });

    it('base64 that is not JSON', () => {
      expect(refusal(`Nostr ${Buffer.from('{"kind": 27235,').toString('base64')}`)).toMatch(/not base64-encoded JSON/);
    });

    it('JSON that is not a Nostr event', () => {
      expect(refusal(header({ kind: 27235, tags: [] }))).toMatch(/is not a Nostr event: /);
    });

    it('the wrong kind', () => {
      expect(refusal(header(authEvent({ kind: 1 })))).toBe('NIP-98 event has kind 1; it must be kind 27235.');
    });

    it.each([
      ['too old', -(NIP98_MAX_SKEW_SECONDS + 1), 61],
      ['far too old', -3600, 3600],
      ['too far in the future', NIP98_MAX_SKEW_SECONDS + 1, 61],
      ['far in the future', 86_400, 86_400],
    ])('created_at %s', (_label, offset, skew) => {
      const message = refusal(header(authEvent({ created_at: NOW_SECONDS + offset })));
      expect(message).toMatch(new RegExp(`created_at is ${skew} s away from the server's clock`));
      expect(message).toContain(`within ${NIP98_MAX_SKEW_SECONDS} s`);
    });

    it('a u tag for another URL', () => {
      const event = authEvent({ tags: [['u', 'https://live.example.com/api/v1/streams/other'], ['method', 'POST']] });
      expect(refusal(header(event))).toMatch(/u tag \(https:\/\/live\.example\.com\/api\/v1\/streams\/other\) is not this request's URL/);
    });

    it('a u tag for another host', () => {
      const event = authEvent({ tags: [['u', 'https://evil.example.com/api/v1/streams/create'], ['method', 'POST']] });
      expect(refusal(header(event))).toMatch(/u tag .* is not this request's URL/);
    });

    it('a missing u tag', () => {
      expect(refusal(header(authEvent({ tags: [['method', 'POST']] })))).toMatch(/u tag \(missing\)/);
    });

    it('a method tag for another method', () => {
      const event = authEvent({ tags: [['u', URL_], ['method', 'GET']] });
      expect(refusal(header(event))).toBe("NIP-98 event's method tag (GET) is not POST.");
    });

    it('a missing method tag', () => {
      expect(refusal(header(authEvent({ tags: [['u', URL_]] })))).toMatch(/method tag \(missing\)/);
    });

    it('a payload tag that is not the hash of the body', () => {
      const event = authEvent({ tags: [['u', URL_], ['method', 'POST'], ['payload', sha256('{"title":"other"}')]] });
      expect(refusal(header(event))).toBe("NIP-98 event's payload tag is not the SHA-256 of this request's body.");
    });

    it('a good payload tag over a body that was swapped afterwards', () => {
      const message = refusal(header(authEvent()), request({ body: Buffer.from('{"title":"swapped"}') }));
      expect(message).toMatch(/payload tag/);
    });

    it('a tampered event whose id is no longer its hash', () => {
      const event = authEvent();
      const tampered = { ...event, tags: [['u', URL_], ['method', 'POST']] };
      expect(refusal(header(tampered))).toBe('NIP-98 event id is not the hash of its content.');
    });

    it('an event whose id was altered', () => {
      const event = authEvent();
      expect(refusal(header({ ...event, id: flipLast(event.id) }))).toBe('NIP-98 event id is not the hash of its content.');
    });

    it('a bad signature', () => {
      const event = authEvent();
      expect(refusal(header({ ...event, sig: flipLast(event.sig) }))).toBe('NIP-98 event signature is invalid.');
    });

    it('an event re-hashed for another pubkey but carrying the original signature', () => {
      const event = authEvent();
      const claimed = { ...event, pubkey: getPublicKey(generateSecretKey()) };
      const forged = { ...claimed, id: getEventHash(claimed) };
      expect(refusal(header(forged))).toBe('NIP-98 event signature is invalid.');
    });

    // The module reports "not base64" and "not JSON" with one message (Node's base64 decoder
    // never throws), and a clock skew in either direction with one message naming its size.
    it('with a distinct message for each failed check', () => {
      const messages = [
        refusal(undefined),
        refusal('Nostr %%%'),
        refusal(header({ hello: 'world' })),
        refusal(header(authEvent({ kind: 1 }))),
        refusal(header(authEvent({ created_at: NOW_SECONDS - 120 }))),
        refusal(header(authEvent({ tags: [['u', 'https://other.example.com/'], ['method', 'POST']] }))),
        refusal(header(authEvent({ tags: [['u', URL_], ['method', 'PUT']] }))),
        refusal(header(authEvent({ tags: [['u', URL_], ['method', 'POST'], ['payload', sha256('x')]] }))),
        refusal(header({ ...authEvent(), id: flipLast(authEvent().id) })),
        refusal(header({ ...authEvent({ content: 'sig' }), sig: flipLast(authEvent({ content: 'sig' }).sig) })),
      ];
      expect(new Set(messages).size).toBe(messages.length);
    });
  });

  describe('replay', () => {
    it('refuses the same event the second time', () => {
      const guard = new ReplayGuard(2 * NIP98_MAX_SKEW_SECONDS);
      const value = header(authEvent());
      expect(verifyNip98(value, request(), guard)).toBe(pubkey);
      expect(refusal(value, request(), guard)).toBe('NIP-98 event was already used; sign a new one for each request.');
    });

    it('accepts a second, freshly signed event for the same request', () => {
      const guard = new ReplayGuard(2 * NIP98_MAX_SKEW_SECONDS);
      expect(verifyNip98(header(authEvent()), request(), guard)).toBe(pubkey);
      const fresh = authEvent({ tags: [['u', URL_], ['method', 'POST'], ['nonce', '2']] });
      expect(verifyNip98(header(fresh), request(), guard)).toBe(pubkey);
    });

    it('does not use up an event on a request it was refused for', () => {
      const guard = new ReplayGuard(2 * NIP98_MAX_SKEW_SECONDS);
      const value = header(authEvent());
      expect(refusal(value, request({ urls: ['https://live.example.com/elsewhere'] }), guard)).toMatch(/u tag/);
      expect(verifyNip98(value, request(), guard)).toBe(pubkey);
    });

    it('does not let a forged copy of a seen id through, nor let it claim the id', () => {
      const guard = new ReplayGuard(2 * NIP98_MAX_SKEW_SECONDS);
      const event = authEvent();
      expect(refusal(header({ ...event, sig: flipLast(event.sig) }), request(), guard)).toMatch(/signature is invalid/);
      expect(verifyNip98(header(event), request(), guard)).toBe(pubkey);
    });
  });
});
