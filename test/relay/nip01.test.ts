import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../testkit/engines.js';
import { TestUser } from '../../testkit/nostr.js';
import { queryRelay, Relay } from '../../testkit/relay-client.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';
import { RawClient } from '../../testkit/raw-client.js';

const now = () => Math.floor(Date.now() / 1000);
/** The event as JSON carries it, without nostr-tools' in-memory "verified" mark. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe.each(ENGINES)('relay NIP-01 through nostr-tools on %s', (engine) => {
  let server: TestServer;
  let relay: Relay;
  let relayUrl: string;

  beforeAll(async () => {
    server = await startTestServer(engine);
    relayUrl = server.url.replace('http://', 'ws://') + '/';
    relay = await Relay.connect(relayUrl);
  });
  afterAll(async () => {
    relay.close();
    await server.destroy();
  });

  it('stores an event and answers filters on ids, authors, kinds, tags, since and until', async () => {
    const alice = new TestUser();
    const t = now() - 100;
    const note = alice.sign({ kind: 1, created_at: t, content: 'hello', tags: [['t', 'music'], ['p', alice.pubkey]] });
    await relay.publish(note);

    const byId = await queryRelay(relay, [{ ids: [note.id] }]);
    expect(byId.map((event) => event.id)).toEqual([note.id]);
    expect(plain(byId[0])).toEqual(plain(note));
    expect((await queryRelay(relay, [{ authors: [alice.pubkey], kinds: [1] }])).map((e) => e.id)).toEqual([note.id]);
    expect(await queryRelay(relay, [{ authors: [alice.pubkey], kinds: [2] }])).toEqual([]);
    expect((await queryRelay(relay, [{ '#t': ['music'], authors: [alice.pubkey] }])).map((e) => e.id)).toEqual([note.id]);
    expect(await queryRelay(relay, [{ '#t': ['talk'], authors: [alice.pubkey] }])).toEqual([]);
    expect(await queryRelay(relay, [{ authors: [alice.pubkey], since: t + 1 }])).toEqual([]);
    expect(await queryRelay(relay, [{ authors: [alice.pubkey], until: t - 1 }])).toEqual([]);
    expect(await queryRelay(relay, [{ authors: [alice.pubkey], since: t, until: t }])).toHaveLength(1);
  });

  it('answers filters with an empty list (ids, authors, kinds, #t) with no events and EOSE', async () => {
    const kim = new TestUser();
    await relay.publish(kim.sign({ kind: 1, content: 'present', tags: [['t', 'empty-lists']] }));
    const client = await RawClient.open(relayUrl);
    const empties = [{ ids: [] }, { authors: [] }, { kinds: [] }, { '#t': [] }, { authors: [kim.pubkey], kinds: [] }];
    for (const [i, filter] of empties.entries()) {
      client.send(['REQ', `empty-${i}`, filter]);
      const end = await client.next((m) => (m[0] === 'EOSE' || m[0] === 'CLOSED') && m[1] === `empty-${i}`);
      expect(end).toEqual(['EOSE', `empty-${i}`]);
    }
    expect(client.messages.filter((m) => m[0] === 'EVENT')).toEqual([]);
    // An empty filter beside a real one takes nothing away from it.
    client.send(['REQ', 'mixed', { ids: [] }, { authors: [kim.pubkey] }]);
    await client.next((m) => m[0] === 'EOSE' && m[1] === 'mixed');
    expect(client.messages.filter((m) => m[0] === 'EVENT').map((m) => (m[2] as { content: string }).content)).toEqual(['present']);
    client.socket.close();
  });

  it('returns newest first up to limit, and ORs several filters', async () => {
    const bob = new TestUser();
    const base = now() - 1000;
    const events = [];
    for (let i = 0; i < 6; i += 1) {
      const event = bob.sign({ kind: 1, created_at: base + i, content: `n${i}` });
      events.push(event);
      await relay.publish(event);
    }
    const latest3 = await queryRelay(relay, [{ authors: [bob.pubkey], limit: 3 }]);
    expect(latest3.map((e) => e.content)).toEqual(['n5', 'n4', 'n3']);

    const reaction = bob.sign({ kind: 7, created_at: base, content: '+' });
    await relay.publish(reaction);
    const either = await queryRelay(relay, [
      { authors: [bob.pubkey], kinds: [7] },
      { ids: [events[0]!.id] },
    ]);
    expect(either.map((e) => e.id).sort()).toEqual([reaction.id, events[0]!.id].sort());
  });

  it('sends stored events, then EOSE, then live events', async () => {
    const carol = new TestUser();
    const stored = carol.sign({ kind: 1, content: 'before' });
    await relay.publish(stored);
    const order: string[] = [];
    const sawLive = new Promise<void>((resolve) => {
      const subscription = relay.subscribe([{ authors: [carol.pubkey] }], {
        onevent: (event) => {
          order.push(event.content);
          if (event.content === 'after') {
            subscription.close();
            resolve();
          }
        },
        oneose: () => {
          order.push('EOSE');
          const other = new Relay(relayUrl);
          void other.connect().then(async () => {
            await other.publish(carol.sign({ kind: 1, content: 'after' }));
            other.close();
          });
        },
      });
    });
    await sawLive;
    expect(order).toEqual(['before', 'EOSE', 'after']);
  });

  it('delivers ephemeral events without storing them', async () => {
    const dave = new TestUser();
    const received = new Promise<string>((resolve) => {
      const subscription = relay.subscribe([{ authors: [dave.pubkey], kinds: [20001] }], {
        onevent: (event) => {
          subscription.close();
          resolve(event.content);
        },
        oneose: () => void relay.publish(dave.sign({ kind: 20001, content: 'typing…' })),
      });
    });
    expect(await received).toBe('typing…');
    expect(await queryRelay(relay, [{ authors: [dave.pubkey] }])).toEqual([]);
  });

  it('replaces replaceable events by (kind, pubkey) with the NIP-01 tie-break', async () => {
    const erin = new TestUser();
    const t = now() - 50;
    const old = erin.sign({ kind: 0, created_at: t - 10, content: '{"name":"old"}' });
    const newer = erin.sign({ kind: 0, created_at: t, content: '{"name":"new"}' });
    await relay.publish(old);
    await relay.publish(newer);
    await expect(relay.publish(old)).rejects.toThrow(/duplicate:/);
    expect((await queryRelay(relay, [{ authors: [erin.pubkey], kinds: [0] }])).map((e) => e.id)).toEqual([newer.id]);

    // Same second: the lower id stays, whatever the order of arrival.
    const sameA = erin.sign({ kind: 10002, created_at: t, content: 'a' });
    const sameB = erin.sign({ kind: 10002, created_at: t, content: 'b' });
    const [low, high] = sameA.id < sameB.id ? [sameA, sameB] : [sameB, sameA];
    await relay.publish(high);
    await relay.publish(low);
    await expect(relay.publish(high)).rejects.toThrow(/duplicate:/);
    expect((await queryRelay(relay, [{ authors: [erin.pubkey], kinds: [10002] }])).map((e) => e.id)).toEqual([low.id]);
  });

  it('replaces addressable events by (kind, pubkey, d) and keeps other d values', async () => {
    const host = new TestUser();
    const t = now() - 30;
    const planned = host.sign({ kind: 30311, created_at: t - 5, tags: [['d', 's1'], ['status', 'planned']] });
    const live = host.sign({ kind: 30311, created_at: t, tags: [['d', 's1'], ['status', 'live']] });
    const other = host.sign({ kind: 30311, created_at: t, tags: [['d', 's2'], ['status', 'live']] });
    for (const event of [planned, live, other]) await relay.publish(event);
    const stored = await queryRelay(relay, [{ kinds: [30311], authors: [host.pubkey] }]);
    expect(stored.map((e) => e.id).sort()).toEqual([live.id, other.id].sort());
    const liveOnly = await queryRelay(relay, [{ kinds: [30311], authors: [host.pubkey], '#status': ['live'], '#d': ['s1'] }]);
    expect(liveOnly.map((e) => e.id)).toEqual([live.id]);
  });

  it('keeps the lower id of two addressable versions from the same second, whatever the order of arrival', async () => {
    const host = new TestUser();
    const t = now() - 40;
    for (const [d, lowFirst] of [['tie-high-first', false], ['tie-low-first', true]] as const) {
      const a = host.sign({ kind: 30311, created_at: t, tags: [['d', d], ['title', 'a']] });
      const b = host.sign({ kind: 30311, created_at: t, tags: [['d', d], ['title', 'b']] });
      const [low, high] = a.id < b.id ? [a, b] : [b, a];
      if (lowFirst) {
        await relay.publish(low);
        await expect(relay.publish(high)).rejects.toThrow(/duplicate:/);
      } else {
        await relay.publish(high);
        await relay.publish(low);
        await expect(relay.publish(high)).rejects.toThrow(/duplicate:/);
      }
      const stored = await queryRelay(relay, [{ kinds: [30311], authors: [host.pubkey], '#d': [d] }]);
      expect(stored.map((e) => e.id)).toEqual([low.id]);
    }
  });

  it('answers a duplicate with OK true and "duplicate:"', async () => {
    const frank = new TestUser();
    const note = frank.sign({ kind: 1, content: 'once' });
    expect(await relay.publish(note)).toBe('');
    expect(await relay.publish(note)).toMatch(/^duplicate:/);
    expect(await queryRelay(relay, [{ authors: [frank.pubkey] }])).toHaveLength(1);
  });

  it('refuses a wrong id or a bad signature with "invalid:"', async () => {
    const gina = new TestUser();
    const note = gina.sign({ kind: 1, content: 'real' });
    await expect(relay.publish({ ...note, content: 'tampered' })).rejects.toThrow(/^invalid: event id/);
    const other = gina.sign({ kind: 1, content: 'other' });
    await expect(relay.publish({ ...note, sig: other.sig })).rejects.toThrow(/^invalid: signature/);
    expect(await queryRelay(relay, [{ authors: [gina.pubkey] }])).toEqual([]);
  });

  it('NIP-09: deletes by e and by a, by the author only, and refuses the deleted event again', async () => {
    const hank = new TestUser();
    const mallory = new TestUser();
    const note = hank.sign({ kind: 1, content: 'regret' });
    const keep = hank.sign({ kind: 1, content: 'keep' });
    await relay.publish(note);
    await relay.publish(keep);

    await relay.publish(mallory.sign({ kind: 5, tags: [['e', note.id]] }));
    expect(await queryRelay(relay, [{ ids: [note.id] }])).toHaveLength(1);

    await relay.publish(hank.sign({ kind: 5, tags: [['e', note.id], ['k', '1']] }));
    expect(await queryRelay(relay, [{ ids: [note.id] }])).toEqual([]);
    expect(await queryRelay(relay, [{ ids: [keep.id] }])).toHaveLength(1);
    await expect(relay.publish(note)).rejects.toThrow(/^blocked:/);

    const t = now() - 20;
    const address = hank.sign({ kind: 30311, created_at: t, tags: [['d', 'gone']] });
    await relay.publish(address);
    await relay.publish(hank.sign({ kind: 5, created_at: t + 1, tags: [['a', `30311:${hank.pubkey}:gone`]] }));
    expect(await queryRelay(relay, [{ kinds: [30311], authors: [hank.pubkey] }])).toEqual([]);
    await expect(relay.publish(address)).rejects.toThrow(/^blocked:/);
    // A version newer than the deletion is a new event at that address.
    const revived = hank.sign({ kind: 30311, created_at: t + 5, tags: [['d', 'gone']] });
    await relay.publish(revived);
    expect((await queryRelay(relay, [{ kinds: [30311], authors: [hank.pubkey] }])).map((e) => e.id)).toEqual([revived.id]);
  });

  it('NIP-09: ignores an a-coordinate deletion signed by anyone but the author', async () => {
    const owner = new TestUser();
    const mallory = new TestUser();
    const t = now() - 20;
    const address = owner.sign({ kind: 30311, created_at: t, tags: [['d', 'mine']] });
    await relay.publish(address);
    await relay.publish(mallory.sign({ kind: 5, created_at: t + 1, tags: [['a', `30311:${owner.pubkey}:mine`]] }));
    expect((await queryRelay(relay, [{ kinds: [30311], authors: [owner.pubkey] }])).map((e) => e.id)).toEqual([address.id]);
    // Nor is the address closed to its author's next version.
    const update = owner.sign({ kind: 30311, created_at: t + 1, tags: [['d', 'mine'], ['status', 'live']] });
    expect(await relay.publish(update)).toBe('');
    expect((await queryRelay(relay, [{ kinds: [30311], authors: [owner.pubkey] }])).map((e) => e.id)).toEqual([update.id]);
  });

  it('NIP-40: refuses expired events and stops serving events once they expire', async () => {
    const ivy = new TestUser();
    await expect(relay.publish(ivy.sign({ kind: 1, tags: [['expiration', String(now() - 1)]] }))).rejects.toThrow(
      /^invalid:.*expired/,
    );
    const expiration = now() + 3;
    const shortLived = ivy.sign({ kind: 1, content: 'soon gone', tags: [['expiration', String(expiration)]] });
    await relay.publish(shortLived);
    expect(await queryRelay(relay, [{ ids: [shortLived.id] }])).toHaveLength(1);
    // Poll rather than sleep a fixed time: a loaded machine may answer late, never early.
    const deadline = Date.now() + 15_000;
    while ((await queryRelay(relay, [{ ids: [shortLived.id] }])).length > 0) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(now()).toBeGreaterThanOrEqual(expiration);
  });

  it('keeps events across a restart of the service', async () => {
    const jack = new TestUser();
    const note = jack.sign({ kind: 1, content: 'durable' });
    await relay.publish(note);
    relay.close();
    server = await server.restart();
    relayUrl = server.url.replace('http://', 'ws://') + '/';
    relay = await Relay.connect(relayUrl);
    expect(plain(await queryRelay(relay, [{ ids: [note.id] }]))).toEqual([plain(note)]);
  });
});
