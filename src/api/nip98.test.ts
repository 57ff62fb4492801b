import { createHash } from 'node:crypto';
import { finalizeEvent, generateSecretKey, getEventHash, getPublicKey } from 'nostr-tools/pure';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './errors.js';
import { NIP98_KIND, NIP98_MAX_SKEW_SECONDS, verifyNip98, type HttpRequestFacts } from './nip98.js';
import type { ReplayGuard } from './replay-guard.js';

/** The guard's contract in memory; the database one is tested in replay-guard.test.ts. */
class SetReplayGuard implements ReplayGuard {
  private readonly seen = new Set<string>();
  async claim(id: string): Promise<boolean> {
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    return true;
  }
}

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
async function refusal(
  authorization: string | undefined,
  facts: HttpRequestFacts = request(),
  guard: ReplayGuard = new SetReplayGuard(),
): Promise<string> {
  try {
    await verifyNip98(authorization, facts, guard);
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
    it('a good event and answers the signer pubkey', async () => {
      expect(await verifyNip98(header(authEvent()), request(), new SetReplayGuard())).toBe(pubkey);
    });

    it('an event without a payload tag even when the request has a body', async () => {
      const event = authEvent({ tags: [['u', URL_], ['method', 'POST']] });
      expect(await verifyNip98(header(event), request(), new SetReplayGuard())).toBe(pubkey);
    });

    it('a bodiless GET without a payload tag', async () => {
      const event = authEvent({ tags: [['u', URL_], ['method', 'GET']] });
      expect(await verifyNip98(header(event), request({ method: 'GET', body: undefined }), new SetReplayGuard())).toBe(pubkey);
    });

    it('an uppercase payload hash', async () => {
      const event = authEvent({ tags: [['u', URL_], ['method', 'POST'], ['payload', sha256(BODY).toUpperCase()]] });
      expect(await verifyNip98(header(event), request(), new SetReplayGuard())).toBe(pubkey);
    });

    it('a payload tag hashing the empty body when the request has none', async () => {
      const event = authEvent({ tags: [['u', URL_], ['method', 'POST'], ['payload', sha256('')]] });
      expect(await verifyNip98(header(event), request({ body: undefined }), new SetReplayGuard())).toBe(pubkey);
    });

    it('a method tag in another case', async () => {
      const event = authEvent({ tags: [['u', URL_], ['method', 'post']] });
      expect(await verifyNip98(header(event), request(), new SetReplayGuard())).toBe(pubkey);
    });

    it("a u tag for any of the service's public URLs", async () => {
      const aliasUrl = 'http://onion.example/api/v1/streams/create';
      const event = authEvent({ tags: [['u', aliasUrl], ['method', 'POST']] });
      expect(await verifyNip98(header(event), request({ urls: [URL_, aliasUrl] }), new SetReplayGuard())).toBe(pubkey);
    });

    it('a u tag that differs only in URL normalisation (host case, default port)', async () => {
      const event = authEvent({ tags: [['u', 'https://LIVE.example.com:443/api/v1/streams/create'], ['method', 'POST']] });
      expect(await verifyNip98(header(event), request(), new SetReplayGuard())).toBe(pubkey);
    });

    it.each([-NIP98_MAX_SKEW_SECONDS, NIP98_MAX_SKEW_SECONDS])('created_at exactly %i s from now', async (offset) => {
      const event = authEvent({ created_at: NOW_SECONDS + offset });
      expect(await verifyNip98(header(event), request(), new SetReplayGuard())).toBe(pubkey);
    });

    it('the lowercase scheme word and surrounding spaces', async () => {
      const value = `  nostr   ${Buffer.from(JSON.stringify(authEvent())).toString('base64')}  `;
      expect(await verifyNip98(value, request(), new SetReplayGuard())).toBe(pubkey);
    });
  });

  describe('refuses', () => {
    it.each([
      ['no header', undefined],
      ['an empty header', ''],
      ['another scheme', `Bearer ${Buffer.from(JSON.stringify({})).toString('base64')}`],
      ['the scheme without a token', 'Nostr '],
      ['two tokens', 'Nostr abc def'],
    ])('%s as missing NIP-98 authorization', async (_label, value) => {
      expect(await refusal(value)).toMatch(/^Missing NIP-98 authorization/);
    });

    it('a token that is not base64', async () => {
      expect(await refusal('Nostr %%%not-base64%%%')).toMatch(/not base64-encoded JSON/);
    });

    it('base64 that is not JSON', async () => {
      expect(await refusal(`Nostr ${Buffer.from('{"kind": 27235,').toString('base64')}`)).toMatch(/not base64-encoded JSON/);
    });

    it('JSON that is not a Nostr event', async () => {
      expect(await refusal(header({ kind: 27235, tags: [] }))).toMatch(/is not a Nostr event: /);
    });

    it('the wrong kind', async () => {
      expect(await refusal(header(authEvent({ kind: 1 })))).toBe('NIP-98 event has kind 1; it must be kind 27235.');
    });

    it.each([
      ['too old', -(NIP98_MAX_SKEW_SECONDS + 1), 61],
      ['far too old', -3600, 3600],
      ['too far in the future', NIP98_MAX_SKEW_SECONDS + 1, 61],
      ['far in the future', 86_400, 86_400],
    ])('created_at %s', async (_label, offset, skew) => {
      const message = await refusal(header(authEvent({ created_at: NOW_SECONDS + offset })));
      expect(message).toMatch(new RegExp(`created_at is ${skew} s away from the server's clock`));
      expect(message).toContain(`within ${NIP98_MAX_SKEW_SECONDS} s`);
    });

    it('a u tag for another URL', async () => {
      const event = authEvent({ tags: [['u', 'https://live.example.com/api/v1/streams/other'], ['method', 'POST']] });
      expect(await refusal(header(event))).toMatch(/u tag \(https:\/\/live\.example\.com\/api\/v1\/streams\/other\) is not this service's URL for the request/);
    });

    it('a u tag for another host', async () => {
      const event = authEvent({ tags: [['u', 'https://evil.example.com/api/v1/streams/create'], ['method', 'POST']] });
      expect(await refusal(header(event))).toMatch(/u tag .* is not this service's URL for the request/);
    });

    it('a missing u tag', async () => {
      expect(await refusal(header(authEvent({ tags: [['method', 'POST']] })))).toMatch(/u tag \(missing\)/);
    });

    it('a method tag for another method', async () => {
      const event = authEvent({ tags: [['u', URL_], ['method', 'GET']] });
      expect(await refusal(header(event))).toBe("NIP-98 event's method tag (GET) is not POST.");
    });

    it('a missing method tag', async () => {
      expect(await refusal(header(authEvent({ tags: [['u', URL_]] })))).toMatch(/method tag \(missing\)/);
    });

    it('a payload tag that is not the hash of the body', async () => {
      const event = authEvent({ tags: [['u', URL_], ['method', 'POST'], ['payload', sha256('{"title":"other"}')]] });
      expect(await refusal(header(event))).toBe("NIP-98 event's payload tag is not the SHA-256 of this request's body.");
    });

    it('a good payload tag over a body that was swapped afterwards', async () => {
      const message = await refusal(header(authEvent()), request({ body: Buffer.from('{"title":"swapped"}') }));
      expect(message).toMatch(/payload tag/);
    });

    it('a tampered event whose id is no longer its hash', async () => {
      const event = authEvent();
      const tampered = { ...event, tags: [['u', URL_], ['method', 'POST']] };
      expect(await refusal(header(tampered))).toBe('NIP-98 event id is not the hash of its content.');
    });

    it('an event whose id was altered', async () => {
      const event = authEvent();
      expect(await refusal(header({ ...event, id: flipLast(event.id) }))).toBe('NIP-98 event id is not the hash of its content.');
    });

    it('a bad signature', async () => {
      const event = authEvent();
      expect(await refusal(header({ ...event, sig: flipLast(event.sig) }))).toBe('NIP-98 event signature is invalid.');
    });

    it('an event re-hashed for another pubkey but carrying the original signature', async () => {
      const event = authEvent();
      const claimed = { ...event, pubkey: getPublicKey(generateSecretKey()) };
      const forged = { ...claimed, id: getEventHash(claimed) };
      expect(await refusal(header(forged))).toBe('NIP-98 event signature is invalid.');
    });

    // The module reports "not base64" and "not JSON" with one message (Node's base64 decoder
    // never throws), and a clock skew in either direction with one message naming its size.
    it('with a distinct message for each failed check', async () => {
      const messages = await Promise.all([
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
      ]);
      expect(new Set(messages).size).toBe(messages.length);
    });
  });

  describe('replay', () => {
    it('refuses the same event the second time', async () => {
      const guard = new SetReplayGuard();
      const value = header(authEvent());
      expect(await verifyNip98(value, request(), guard)).toBe(pubkey);
      expect(await refusal(value, request(), guard)).toBe('NIP-98 event was already used; sign a new one for each request.');
    });

    it('accepts a second, freshly signed event for the same request', async () => {
      const guard = new SetReplayGuard();
      expect(await verifyNip98(header(authEvent()), request(), guard)).toBe(pubkey);
      const fresh = authEvent({ tags: [['u', URL_], ['method', 'POST'], ['nonce', '2']] });
      expect(await verifyNip98(header(fresh), request(), guard)).toBe(pubkey);
    });

    it('does not use up an event on a request it was refused for', async () => {
      const guard = new SetReplayGuard();
      const value = header(authEvent());
      expect(await refusal(value, request({ urls: ['https://live.example.com/elsewhere'] }), guard)).toMatch(/u tag/);
      expect(await verifyNip98(value, request(), guard)).toBe(pubkey);
    });

    it('does not let a forged copy of a seen id through, nor let it claim the id', async () => {
      const guard = new SetReplayGuard();
      const event = authEvent();
      expect(await refusal(header({ ...event, sig: flipLast(event.sig) }), request(), guard)).toMatch(/signature is invalid/);
      expect(await verifyNip98(header(event), request(), guard)).toBe(pubkey);
    });
  });
});
