import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { liveEventCoordinate } from '../../src/protocol/coordinate.js';
import { buildLiveChat } from '../../src/protocol/live-chat.js';
import { pushTestPattern } from '../../testkit/publishers.js';
import { createStream, ingestUrl, statusOf } from '../../testkit/streams.js';
import { TestUser } from '../../testkit/nostr.js';
import { Relay } from '../../testkit/relay-client.js';
import { useTestServer } from '../../testkit/suites.js';

/** Each rate limit, answered the protocol's own way and configured through the environment (in order: the API limit spends this address's budget). */
describe('rate limits and hardening', () => {
  const suite = useTestServer('sqlite', {
    env: {
      RATE_LIMIT_CHAT_PER_PUBKEY: '3',
      RATE_LIMIT_CHAT_PER_ADDRESS: '5',
      RATE_LIMIT_API_PER_ADDRESS: '40',
      RATE_LIMIT_WS_PER_ADDRESS: '4',
      RATE_LIMIT_KEY_FAILURES: '3',
    },
  });
  const alice = new TestUser();

  it('limits chat per pubkey and per address with rate-limited:', async () => {
    const { stream_id } = await createStream(suite.server, alice);
    const stream = liveEventCoordinate(suite.server.app.serviceKey.pubkey, stream_id);
    const relay = await Relay.connect(suite.server.url.replace('http://', 'ws://'));
    const chat = (author: TestUser, text: string) =>
      relay.publish(author.sign(buildLiveChat({ stream, content: text }, Math.floor(Date.now() / 1000))));
    try {
      const chatty = new TestUser();
      for (let i = 0; i < 3; i += 1) await chat(chatty, `message ${i}`);
      await expect(chat(chatty, 'one too many')).rejects.toThrow(/^rate-limited: you are sending chat messages too fast/);
      // Five per address: two more from someone else pass, then the address is full.
      const other = new TestUser();
      await chat(other, 'a');
      await expect(chat(other, 'b')).rejects.toThrow(/^rate-limited: too many chat messages from this address/);
    } finally {
      relay.close();
    }
  });

  it('locks an address out of RTMP after repeated wrong keys, even for a right key', { timeout: 30_000 }, async () => {
    const stream = await createStream(suite.server, alice, { quality: '360p', record: false });
    for (let i = 0; i < 3; i += 1) {
      const wrong = pushTestPattern(ingestUrl(suite.server, `wlk_live_${String(i).repeat(32)}`), { seconds: 2, size: '320x180' });
      expect(await wrong.exited).not.toBe(0);
    }
    const right = pushTestPattern(ingestUrl(suite.server, stream.stream_key), { seconds: 2, size: '320x180' });
    expect(await right.exited).not.toBe(0);
    expect((await statusOf(suite.server, alice, stream.stream_id)).status).toBe('created');
  });

  it('limits API requests per address with 429, Retry-After and a JSON error', async () => {
    let last: Response | undefined;
    for (let i = 0; i < 45; i += 1) {
      // A made-up X-Forwarded-For per request must not buy a fresh budget: no proxy is trusted.
      last = await fetch(`${suite.server.url}/api/v1/streams/live`, { headers: { 'x-forwarded-for': `203.0.113.${i}` } });
      if (last.status === 429) break;
    }
    expect(last?.status).toBe(429);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await last?.json()).toMatchObject({ error: 'rate_limited', message: expect.stringMatching(/try again in \d+ s/) });
    // Health checks and media are not API calls.
    expect((await fetch(`${suite.server.url}/healthz`)).status).toBe(200);
  });

  it('limits open WebSockets per address and frees a slot when one closes', async () => {
    const url = suite.server.url.replace('http://', 'ws://');
    const open = () =>
      new Promise<WebSocket>((resolve, reject) => {
        const socket = new WebSocket(url);
        socket.once('open', () => resolve(socket));
        socket.once('error', reject);
      });
    const sockets = [await open(), await open(), await open(), await open()];
    await expect(open()).rejects.toThrow(/429/);
    sockets[0]?.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const again = await open();
    for (const socket of [...sockets, again]) socket.close();
  });

  it('sends security headers and a Content-Security-Policy, and lets players on other sites fetch media', async () => {
    const page = await fetch(`${suite.server.url}/`, { headers: { accept: 'text/html' } });
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain('media-src');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const media = await fetch(`${suite.server.url}/hls/00000000-0000-4000-8000-000000000000/master.m3u8`);
    expect(media.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(media.headers.get('access-control-allow-origin')).toBe('*');
  });
});
