import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LnurlKeys } from './lnurl-keys.js';

const NOSTR_PUBKEY = 'ab'.repeat(32);

const params = (extra: object = {}) => ({
  tag: 'payRequest',
  callback: 'https://wallet.example/callback',
  minSendable: 1000,
  maxSendable: 100_000_000,
  metadata: '[]',
  allowsNostr: true,
  nostrPubkey: NOSTR_PUBKEY,
  ...extra,
});

type Answer = (response: ServerResponse) => void;
const json = (body: unknown): Answer => (response) => response.setHeader('content-type', 'application/json').end(JSON.stringify(body));

/** Each path of a real local HTTP server answers as one kind of LNURL-pay endpoint, good or broken. */
const ANSWERS: Record<string, Answer> = {
  '/.well-known/lnurlp/good': json(params()),
  '/.well-known/lnurlp/nonostr': json(params({ allowsNostr: false })),
  '/.well-known/lnurlp/nokey': json(params({ nostrPubkey: undefined })),
  '/.well-known/lnurlp/html': (response) => response.setHeader('content-type', 'text/html').end('<h1>Welcome</h1>'),
  '/.well-known/lnurlp/notlnurl': json({ status: 'OK' }),
  '/.well-known/lnurlp/huge': json(params({ padding: 'x'.repeat(100_000) })),
  '/.well-known/lnurlp/gone': (response) => response.writeHead(404).end(),
  '/.well-known/lnurlp/moved': (response) => response.writeHead(302, { location: '/.well-known/lnurlp/good' }).end(),
  '/.well-known/lnurlp/slow': () => undefined,
};

describe('LnurlKeys: the LNURL server key of a recipient', () => {
  let http: Server;
  let host: string;
  const asked = new Map<string, number>();

  beforeAll(async () => {
    http = createServer((request: IncomingMessage, response: ServerResponse) => {
      const path = request.url ?? '/';
      asked.set(path, (asked.get(path) ?? 0) + 1);
      (ANSWERS[path] ?? ((answer: ServerResponse) => answer.writeHead(404).end()))(response);
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  });

  /** A recipient whose kind 0 names the endpoint `name` on the local server. */
  const profiles = { get: async (pubkey: string) => (pubkey === 'nobody' ? {} : { lud16: `${pubkey}@${host}` }) };

  it("answers the endpoint's nostrPubkey, reached from the kind 0's lud16", async () => {
    expect(await new LnurlKeys(profiles).of('good')).toEqual({ ok: true, value: NOSTR_PUBKEY });
  });

  it.each([
    ['nobody', 'names no lightning address'],
    ['nonostr', 'does not take zaps (allowsNostr and nostrPubkey)'],
    ['nokey', 'does not take zaps (allowsNostr and nostrPubkey)'],
    ['html', 'answered something that is not JSON'],
    ['notlnurl', 'is not LNURL-pay'],
    ['huge', 'answered more than 65536 bytes'],
    ['gone', 'answered HTTP 404'],
    ['moved', 'could not be reached (unexpected redirect)'],
  ])('refuses %s: %s', async (name, reason) => {
    const key = await new LnurlKeys(profiles).of(name);
    expect(key).toEqual({ ok: false, reason: expect.stringContaining(reason) });
  });

  it('gives up on an endpoint that does not answer in time', async () => {
    const key = await new LnurlKeys(profiles, { timeoutMs: 200 }).of('slow');
    expect(key).toEqual({ ok: false, reason: expect.stringContaining('did not answer in time') });
  });

  it('asks an endpoint once while its key is fresh, and a failed one again after the shorter failure time', async () => {
    const keys = new LnurlKeys(profiles, { ttlMs: 60_000, failureTtlMs: 100 });
    const before = asked.get('/.well-known/lnurlp/good') ?? 0;
    await Promise.all([keys.of('good'), keys.of('good')]);
    expect(await keys.of('good')).toEqual({ ok: true, value: NOSTR_PUBKEY });
    expect(asked.get('/.well-known/lnurlp/good')).toBe(before + 1);

    const failedBefore = asked.get('/.well-known/lnurlp/gone') ?? 0;
    await keys.of('gone');
    await keys.of('gone');
    expect(asked.get('/.well-known/lnurlp/gone')).toBe(failedBefore + 1);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await keys.of('gone');
    expect(asked.get('/.well-known/lnurlp/gone')).toBe(failedBefore + 2);
  });
});
