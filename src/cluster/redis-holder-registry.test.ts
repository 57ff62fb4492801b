import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../../testkit/streams.js';
import { RedisHolderRegistry } from './redis-holder-registry.js';
import { RedisLink } from './redis-link.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const logger = pino({ level: 'silent' });

/** Three nodes' registries on the real Redis; each test uses a stream id of its own. */
describe('RedisHolderRegistry', () => {
  const links: RedisLink[] = [];
  const registries: RedisHolderRegistry[] = [];
  const node = async (name: string) => {
    const link = await RedisLink.connect(REDIS_URL, logger);
    links.push(link);
    const registry = await RedisHolderRegistry.start(link, { id: `${name}-${randomUUID().slice(0, 8)}`, url: `http://${name}.internal:8080` }, logger);
    registries.push(registry);
    return registry;
  };
  let streamId: string;
  beforeEach(() => {
    streamId = randomUUID();
  });
  afterEach(async () => {
    for (const registry of registries.splice(0)) await registry.close();
    for (const link of links.splice(0)) await link.close();
  });

  it('names the claiming node to every node, itself included, and no node once it releases', async () => {
    const a = await node('a');
    const b = await node('b');
    expect(await b.holderOf(streamId)).toBeUndefined();
    await a.claim(streamId);
    expect(a.holds(streamId)).toBe(true);
    expect(await a.holderOf(streamId)).toEqual(a.self);
    // A node that asked before the claim may remember "nobody" for a second; a fresh one asks Redis.
    const c = await node('c');
    expect(await c.holderOf(streamId)).toEqual(a.self);
    await a.release(streamId);
    expect(a.holds(streamId)).toBe(false);
    expect(await (await node('d')).holderOf(streamId)).toBeUndefined();
  });

  it('moves the stream to a newer claim: the old holder hears it lost the stream, and its release leaves the new record', async () => {
    const a = await node('a');
    const b = await node('b');
    const lost: string[] = [];
    a.onLost((id) => lost.push(id));
    await a.claim(streamId);
    await b.claim(streamId);
    await eventually('node A to hear of the claim', async () => (lost.includes(streamId) ? true : undefined), 5000, 20);
    expect(a.holds(streamId)).toBe(false);
    expect(await a.holderOf(streamId)).toEqual(b.self);
    await a.release(streamId);
    expect(await (await node('c')).holderOf(streamId)).toEqual(b.self);
  });

  it('keeps the record after close, for a restart to find, and ignores a record that is not a node', async () => {
    const a = await node('a');
    await a.claim(streamId);
    await a.close();
    expect(await (await node('b')).holderOf(streamId)).toEqual(a.self);
    const other = randomUUID();
    await links[0]?.commands.set(`wavlake-live:holder:${other}`, '{"id":"x"}', { expiration: { type: 'PX', value: 5000 } });
    expect(await (await node('c')).holderOf(other)).toBeUndefined();
  });
});
