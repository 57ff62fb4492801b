import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../testkit/engines.js';
import { TestUser } from '../../testkit/nostr.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';
import { RawClient, type Message } from '../../testkit/raw-client.js';

const now = () => Math.floor(Date.now() / 1000);
const isEose = (id: string) => (message: Message) => message[0] === 'EOSE' && message[1] === id;
const contentOf = (message: Message) => (message[2] as { content: string }).content;

/**
 * Each connection's messages are handled in the order sent: one socket's flood waits behind
 * itself, not in front of everyone else, a REQ that reuses a subscription id replaces the
 * earlier one once that one has been answered, and a burst of EVENTs (whose commits overlap)
 * keeps every storage rule and is seen whole by the REQ after it.
 */
describe.each(ENGINES)('one connection at a time, in order, on %s', (engine) => {
  let server: TestServer;
  let url: string;
  let publisher: RawClient;

  beforeAll(async () => {
    // One author stores 300 events to query: more than a public relay lets a key send in a minute.
    server = await startTestServer(engine, { env: { RATE_LIMIT_EVENTS_PER_PUBKEY: '1000' } });
    url = server.url.replace('http://', 'ws://');
    publisher = await RawClient.open(url);
  });
  afterAll(async () => {
    publisher?.socket.close();
    await server?.destroy();
  });

  async function publish(events: { id: string }[]): Promise<void> {
    for (const event of events) publisher.send(['EVENT', event]);
    for (const event of events) expect((await publisher.next((m) => m[0] === 'OK' && m[1] === event.id, 30_000))[2]).toBe(true);
  }

  it('answers another socket while one socket floods the relay with heavy REQs, and still answers every REQ of the flood in order', async () => {
    const author = new TestUser();
    const base = now() - 1000;
    const stored = Array.from({ length: 300 }, (_, i) =>
      author.sign({ kind: 1, created_at: base + i, tags: [['t', 'flood']], content: `f${i}` }),
    );
    await publish(stored);

    const flooder = await RawClient.open(url);
    const other = await RawClient.open(url);
    const FLOOD = 150;
    // Ten filters a REQ, each its own query.
    const heavy = Array.from({ length: 10 }, (_, k) => ({ kinds: [1], '#t': ['flood'], since: base + k, limit: 20 }));
    for (let i = 0; i < FLOOD; i += 1) {
      flooder.send(['REQ', `flood-${i}`, ...heavy]);
      flooder.send(['CLOSE', `flood-${i}`]);
    }
    other.send(['REQ', 'quick', { ids: [stored[0]!.id] }]);
    await other.next(isEose('quick'), 20_000);
    const floodAnswered = flooder.messages.filter((m) => m[0] === 'EOSE').length;
    // Answered within a few of the flood's REQs: the flood did not go first as a whole, nor
    // did one socket read's worth of it (the relay stops reading a socket 16 messages ahead).
    expect(floodAnswered).toBeLessThan(10);

    await flooder.until((messages) => messages.filter((m) => m[0] === 'EOSE').length === FLOOD, 60_000);
    const eoses = flooder.messages.filter((m) => m[0] === 'EOSE').map((m) => m[1]);
    expect(eoses).toEqual(Array.from({ length: FLOOD }, (_, i) => `flood-${i}`));
    expect(flooder.messages.filter((m) => m[0] === 'NOTICE' || m[0] === 'CLOSED')).toEqual([]);
    flooder.socket.close();
    other.socket.close();
  }, 60_000); // 300 stored events and 1,500 queries: about 15 s on two loaded cores

  it('lets a second REQ with the same id replace the first: each gets its own EOSE, and live events follow the second', async () => {
    const author = new TestUser();
    const tagged = (topic: string, content: string) => author.sign({ kind: 1, tags: [['t', topic]], content });
    await publish([tagged('first-filter', 'x'), tagged('second-filter', 'y')]);

    const client = await RawClient.open(url);
    client.send(['REQ', 'same', { authors: [author.pubkey], '#t': ['first-filter'] }]);
    client.send(['REQ', 'same', { authors: [author.pubkey], '#t': ['second-filter'] }]);
    await client.until((messages) => messages.filter(isEose('same')).length === 2);
    expect(client.messages.map((m) => (m[0] === 'EVENT' ? contentOf(m) : m[0]))).toEqual(['x', 'EOSE', 'y', 'EOSE']);

    client.messages.length = 0;
    // Delivered in the order published: had the first filter's event come, it would come before the second's.
    await publish([tagged('first-filter', 'live x'), tagged('second-filter', 'live y')]);
    await client.next((m) => m[0] === 'EVENT' && contentOf(m) === 'live y');
    expect(client.messages).toEqual([]);
    client.socket.close();
  });

  it('keeps the rules of a burst sent without waiting: replacements, a deletion, a duplicate, then a REQ that sees it all, OKs in the order sent', async () => {
    const author = new TestUser();
    const base = now() - 100;
    const note = author.sign({ kind: 1, created_at: base, content: 'to be deleted' });
    const older = author.sign({ kind: 0, created_at: base, content: '{"name":"old"}' });
    const newer = author.sign({ kind: 0, created_at: base + 1, content: '{"name":"new"}' });
    const stale = author.sign({ kind: 0, created_at: base - 1, content: '{"name":"stale"}' });
    const deletion = author.sign({ kind: 5, created_at: base + 2, tags: [['e', note.id]] });
    const kept = Array.from({ length: 20 }, (_, i) => author.sign({ kind: 1, created_at: base + 3, content: `kept ${i}` }));
    const burst = [note, older, newer, stale, ...kept.slice(0, 10), kept[0] as { id: string }, deletion, note, ...kept.slice(10)];

    const client = await RawClient.open(url);
    for (const event of burst) client.send(['EVENT', event]);
    client.send(['REQ', 'after', { authors: [author.pubkey] }]);
    await client.next(isEose('after'), 30_000);

    const oks = client.messages.filter((m) => m[0] === 'OK');
    expect(oks.map((m) => m[1])).toEqual(burst.map((event) => event.id));
    const verdicts = oks.map((m) => `${String(m[2])} ${String(m[3]).split(':')[0]}`);
    expect(verdicts[3]).toBe('false duplicate');
    expect(verdicts[14]).toBe('true duplicate');
    expect(verdicts[16]).toBe('false blocked');
    // Every OK came before the REQ's answer, which holds every effect of the burst.
    expect(client.messages.findIndex((m) => m[0] === 'EVENT')).toBeGreaterThan(client.messages.lastIndexOf(oks.at(-1) as Message));
    const stored = client.messages.filter((m) => m[0] === 'EVENT').map((m) => (m[2] as { id: string }).id);
    expect(new Set(stored)).toEqual(new Set([newer.id, deletion.id, ...kept.map((event) => event.id)]));
    client.socket.close();
  });
});
