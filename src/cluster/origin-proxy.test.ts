import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_HEADER } from './node.js';
import { originProxy } from './origin-proxy.js';
import { RedisHolderRegistry } from './redis-holder-registry.js';
import { RedisLink } from './redis-link.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const logger = pino({ level: 'silent' });

/**
 * The proxy between two real HTTP servers and the real Redis: "holder" answers /hls itself
 * (echoing what it was asked), "here" holds nothing and passes requests for the holder's
 * streams on.
 */
describe('originProxy', () => {
  let holderHttp: FastifyInstance;
  let hereHttp: FastifyInstance;
  const links: RedisLink[] = [];
  let holderRegistry: RedisHolderRegistry;
  let hereRegistry: RedisHolderRegistry;
  const held = randomUUID();
  const deadHeld = randomUUID();
  const heldHere = randomUUID();

  beforeAll(async () => {
    holderHttp = Fastify();
    holderHttp.get('/hls/:id/*', async (request, reply) => {
      const query = request.query as Record<string, string>;
      // A blocking reload: the holder answers once "the part" is there.
      if (query._HLS_msn !== undefined) await new Promise((resolve) => setTimeout(resolve, 300));
      return reply
        .header('Content-Type', 'application/vnd.apple.mpegurl')
        .header('Cache-Control', 'public, max-age=1')
        .header('Set-Cookie', 'wl_sid=abc; Path=/hls')
        .header('Access-Control-Allow-Origin', '*')
        .header('X-Internal', 'not for players')
        .send(JSON.stringify({ url: request.url, node: request.headers[NODE_HEADER], forwarded: request.headers['x-forwarded-for'], cookie: request.headers.cookie }));
    });
    await holderHttp.listen({ port: 0, host: '127.0.0.1' });
    const holderPort = (holderHttp.server.address() as { port: number }).port;

    for (let i = 0; i < 2; i += 1) links.push(await RedisLink.connect(REDIS_URL, logger));
    const [holderLink, hereLink] = links as [RedisLink, RedisLink];
    holderRegistry = await RedisHolderRegistry.start(holderLink, { id: `holder-${randomUUID().slice(0, 8)}`, url: `http://127.0.0.1:${holderPort}` }, logger);
    hereRegistry = await RedisHolderRegistry.start(hereLink, { id: `here-${randomUUID().slice(0, 8)}`, url: 'http://127.0.0.1:1' }, logger);
    await holderRegistry.claim(held);
    await hereRegistry.claim(heldHere);
    await hereLink.commands.set(`wavlake-live:holder:${deadHeld}`, JSON.stringify({ id: 'gone', url: 'http://127.0.0.1:9' }), { expiration: { type: 'PX', value: 10_000 } });

    hereHttp = Fastify();
    originProxy(hereHttp, { holders: hereRegistry, logger });
    hereHttp.get('/hls/:id/*', async (_request, reply) => reply.code(404).send({ error: 'local', message: 'served here' }));
    await hereHttp.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await hereHttp?.close();
    await holderHttp?.close();
    await hereRegistry?.close();
    await holderRegistry?.close();
    for (const link of links) await link.close();
  });

  const here = (pathAndQuery: string, headers: Record<string, string> = {}) =>
    fetch(`http://127.0.0.1:${(hereHttp.server.address() as { port: number }).port}${pathAndQuery}`, { headers });

  it("passes a request for another node's stream on, query and cookie included, and the holder's answer back", async () => {
    const response = await here(`/hls/${held}/720p/index.m3u8?sid=s1&_HLS_msn=12&_HLS_part=3`, { cookie: 'wl_sid=s1', 'x-forwarded-for': '203.0.113.9' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    expect(response.headers.get('cache-control')).toBe('public, max-age=1');
    expect(response.headers.get('set-cookie')).toBe('wl_sid=abc; Path=/hls');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('x-internal')).toBeNull();
    const asked = (await response.json()) as { url: string; node: string; forwarded: string; cookie: string };
    expect(asked).toEqual({
      url: `/hls/${held}/720p/index.m3u8?sid=s1&_HLS_msn=12&_HLS_part=3`,
      node: hereRegistry.self.id,
      // The client's chain, then the address this node saw.
      forwarded: '203.0.113.9, 127.0.0.1',
      cookie: 'wl_sid=s1',
    });
  });

  it("serves locally what this node holds, what no node holds, and any other node's request (no loops)", async () => {
    for (const request of [here(`/hls/${heldHere}/master.m3u8`), here(`/hls/${randomUUID()}/master.m3u8`), here(`/hls/${held}/master.m3u8`, { [NODE_HEADER]: 'other' })]) {
      expect(((await (await request).json()) as { error: string }).error).toBe('local');
    }
  });

  it('answers 503 with a retry when the holder does not answer', async () => {
    const response = await here(`/hls/${deadHeld}/720p/index.m3u8`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(((await response.json()) as { error: string }).error).toBe('holder_unreachable');
  });
});
