import { afterAll, describe, expect, it } from 'vitest';
import { liveEventCoordinate } from '../../src/protocol/coordinate.js';
import { buildReport } from '../../src/protocol/report.js';
import type { Engine } from '../../src/db/database.js';
import { ENGINES } from '../../testkit/engines.js';
import { TestUser } from '../../testkit/nostr.js';
import { queryRelay, Relay } from '../../testkit/relay-client.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';

interface Nip11 {
  limitation: Record<string, number | boolean>;
}

const now = () => Math.floor(Date.now() / 1000);

/** A relay connection to a server started with the given limits. */
async function serverWith(env: Record<string, string>, engine: Engine): Promise<{ server: TestServer; relay: Relay }> {
  const server = await startTestServer(engine, { env });
  return { server, relay: await Relay.connect(server.url.replace('http://', 'ws://')) };
}

/**
 * Every write is limited, not only chat: per pubkey and per address per minute, reports per
 * reporter and stream per hour, and what one pubkey may keep stored; NIP-11 states each.
 */
describe('write limits for every kind', () => {
  const running: { server: TestServer; relay: Relay }[] = [];
  const start = async (env: Record<string, string>, engine: Engine = 'sqlite') => {
    const started = await serverWith(env, engine);
    running.push(started);
    return started;
  };
  afterAll(async () => {
    for (const { server, relay } of running) {
      relay.close();
      await server.destroy();
    }
  });

  it('limits events of any kind per pubkey, then per address, with rate-limited:', async () => {
    const { relay } = await start({ RATE_LIMIT_EVENTS_PER_PUBKEY: '5', RATE_LIMIT_EVENTS_PER_ADDRESS: '8' });
    const flooder = new TestUser();
    const note = (author: TestUser, i: number) => author.sign({ kind: 1, content: `${'x'.repeat(8000)} ${i}` });
    for (let i = 0; i < 5; i += 1) await relay.publish(note(flooder, i));
    await expect(relay.publish(note(flooder, 5))).rejects.toThrow(/^rate-limited: you are sending events too fast; wait \d+ s$/);
    await expect(relay.publish(flooder.sign({ kind: 30023, tags: [['d', 'x']], content: 'article' }))).rejects.toThrow(/^rate-limited: /);
    // The address has sent 7; a fresh key gets one more, then the address is full.
    const other = new TestUser();
    await relay.publish(note(other, 0));
    await expect(relay.publish(note(other, 1))).rejects.toThrow(/^rate-limited: too many events from this address; wait \d+ s$/);
    expect(await queryRelay(relay, [{ authors: [flooder.pubkey] }])).toHaveLength(5);
  });

  it('limits reports from one pubkey about one stream per hour, and not about another', async () => {
    const { server, relay } = await start({ RATE_LIMIT_REPORTS_PER_TARGET: '2' });
    const host = new TestUser();
    const stream = async () =>
      liveEventCoordinate(
        server.app.serviceKey.pubkey,
        (await server.call<{ stream_id: string }>('POST', '/api/v1/streams/create', { as: host, json: { title: 'Reported', category: 'talk' } })).body
          .stream_id,
      );
    const [first, second] = [await stream(), await stream()];
    const reporter = new TestUser();
    const report = (target: typeof first, user: string) => reporter.sign(buildReport({ user, stream: target, reason: 'spam' }, now()));
    await relay.publish(report(first, new TestUser().pubkey));
    await relay.publish(report(first, new TestUser().pubkey));
    await expect(relay.publish(report(first, new TestUser().pubkey))).rejects.toThrow(/^rate-limited: you have reported this stream too often this hour; wait \d+ min$/);
    await relay.publish(report(second, new TestUser().pubkey));
    // Someone else may still report the first stream.
    await relay.publish(new TestUser().sign(buildReport({ user: host.pubkey, stream: first, reason: 'spam' }, now())));
  });

  it.each(ENGINES)('bounds what one pubkey keeps on %s; a replacement counts in place of what it replaces, and a deletion makes room', async (engine) => {
    const { relay } = await start({ RELAY_STORAGE_PER_PUBKEY_MB: '1', RATE_LIMIT_EVENTS_PER_PUBKEY: '1000' }, engine);
    const author = new TestUser();
    const big = (i: number) => `${String(i).padEnd(60_000, '.')}`;
    await relay.publish(author.sign({ kind: 0, content: big(0) }));
    const notes = [];
    let refusal: string | undefined;
    for (let i = 1; i < 40 && refusal === undefined; i += 1) {
      const note = author.sign({ kind: 1, content: big(i) });
      refusal = await relay.publish(note).then(
        () => undefined,
        (error: Error) => error.message,
      );
      if (refusal === undefined) notes.push(note);
    }
    expect(refusal).toMatch(/^restricted: this relay keeps at most 1048576 bytes of events per pubkey and you have \d+ stored; delete some \(NIP-09\) to make room$/);
    expect(notes.length).toBe(16);
    // A new profile replaces the old one: the key does not need more room for it.
    const profile = author.sign({ kind: 0, content: big(99), created_at: now() + 1 });
    await relay.publish(profile);
    await expect(relay.publish(author.sign({ kind: 1, content: big(100) }))).rejects.toThrow(/^restricted: /);
    await relay.publish(author.sign({ kind: 5, tags: [['e', notes[0]?.id ?? '']], content: '' }));
    await relay.publish(author.sign({ kind: 1, content: big(101) }));
    expect((await queryRelay(relay, [{ authors: [author.pubkey], kinds: [0] }])).map((event) => event.id)).toEqual([profile.id]);
  });

  it('states every write limit in NIP-11', async () => {
    const { server } = await start({});
    const response = await fetch(server.url, { headers: { accept: 'application/nostr+json' } });
    const document = (await response.json()) as Nip11 & { supported_nips: number[] };
    expect(document.supported_nips).toContain(42);
    expect(document.limitation).toMatchObject({
      events_per_minute_per_pubkey: 120,
      events_per_minute_per_address: 600,
      chat_per_minute_per_pubkey: 20,
      chat_per_minute_per_address: 60,
      reports_per_hour_per_target: 10,
      max_stored_bytes_per_pubkey: 32 * 1024 * 1024,
    });
  });
});

