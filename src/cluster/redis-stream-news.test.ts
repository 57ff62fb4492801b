import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../testkit/streams.js';
import { RedisLink } from './redis-link.js';
import { RedisStreamNews } from './redis-stream-news.js';
import type { StreamNewsItem } from './stream-news.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const logger = pino({ level: 'silent' });

describe('RedisStreamNews', () => {
  const links: RedisLink[] = [];
  let a: RedisStreamNews;
  let b: RedisStreamNews;
  const heardByA: StreamNewsItem[] = [];
  const heardByB: StreamNewsItem[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 2; i += 1) links.push(await RedisLink.connect(REDIS_URL, logger));
    const [linkA, linkB] = links as [RedisLink, RedisLink];
    a = await RedisStreamNews.start(linkA, `a-${randomUUID().slice(0, 8)}`, logger);
    b = await RedisStreamNews.start(linkB, `b-${randomUUID().slice(0, 8)}`, logger);
    a.onNews((item) => heardByA.push(item));
    b.onNews((item) => heardByB.push(item));
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    for (const link of links) await link.close();
  });

  it("hands one node's news to the others, never back to itself, and drops what does not parse", async () => {
    const streamId = randomUUID();
    await links[0]?.commands.publish('wavlake-live:stream-news', JSON.stringify({ node: 'x', item: { kind: 'status', streamId, from: 'flying' } }));
    await links[0]?.commands.publish('wavlake-live:stream-news', 'not json');
    a.tell({ kind: 'status', streamId, from: 'live' });
    a.tell({ kind: 'health', streamId, reading: { stats: { uptimeSeconds: 3, encoder: 'Lavf', bitrateKbps: 1500, mediaBytes: 9000, video: null, audio: null }, sending: 'video' } });
    await eventually('both items on node B', async () => (heardByB.filter((item) => item.streamId === streamId).length === 2 ? true : undefined), 5000, 20);
    expect(heardByB.filter((item) => item.streamId === streamId).map((item) => item.kind)).toEqual(['status', 'health']);
    expect(heardByA.filter((item) => item.streamId === streamId)).toEqual([]);
  });
});
