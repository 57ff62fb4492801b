import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TestUser } from '../../testkit/nostr.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';

type Message = [string, ...unknown[]];

/** A raw relay client keeping every message; `raw` is its TCP socket, to stop reading with. */
async function client(url: string): Promise<{ socket: WebSocket; raw: Socket; messages: Message[]; closed: Promise<number> }> {
  const { hostname, port } = new URL(url);
  let raw: Socket | undefined;
  const socket = new WebSocket(url, { createConnection: () => (raw = connect(Number(port), hostname)) });
  const messages: Message[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(data.toString()) as Message));
  const closed = new Promise<number>((resolve) => socket.once('close', resolve));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  if (!raw) throw new Error('the client socket was not created');
  return { socket, raw, messages, closed };
}

const until = async (done: () => boolean, what: string, ms = 20_000) => {
  for (const start = Date.now(); !done(); ) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

const subscribe = async (subscriber: { socket: WebSocket; messages: Message[] }, id: string, tag: string) => {
  subscriber.socket.send(JSON.stringify(['REQ', id, { kinds: [20001], '#t': [tag] }]));
  await until(() => subscriber.messages.some(([type, sub]) => type === 'EOSE' && sub === id), `EOSE of ${id}`);
};

describe('slow subscribers and bursts', () => {
  let server: TestServer;
  let url: string;

  beforeAll(async () => {
    server = await startTestServer('sqlite', {
      env: { RATE_LIMIT_EVENTS_PER_PUBKEY: '100000', RATE_LIMIT_EVENTS_PER_ADDRESS: '100000' },
    });
    url = server.url.replace('http://', 'ws://');
  });
  afterAll(() => server?.destroy());

  it('sheds a subscriber that stops reading with a CLOSED saying so, while a fast one on the same relay gets every event', { timeout: 60_000 }, async () => {
    const fast = await client(url);
    const slow = await client(url);
    await subscribe(fast, 'fast', 'shed');
    await subscribe(slow, 'slow', 'shed');
    slow.raw.pause();

    // Ephemeral events of ~30 kB: 300 of them are more than the kernel buffers of a reader that
    // stopped. Sent ten at a time, at the pace of a reader that keeps up.
    const publisher = await client(url);
    const author = new TestUser();
    const events = Array.from({ length: 300 }, (_, i) =>
      author.sign({ kind: 20001, tags: [['t', 'shed']], content: `${i} `.padEnd(30_000, 'x') }),
    );
    const oks = () => publisher.messages.filter(([type]) => type === 'OK').length;
    for (let first = 0; first < events.length; first += 10) {
      for (const event of events.slice(first, first + 10)) publisher.socket.send(JSON.stringify(['EVENT', event]));
      await until(() => oks() === first + 10 && fast.messages.filter(([type]) => type === 'EVENT').length === first + 10, 'a group');
    }
    expect(publisher.messages.filter(([type, , accepted]) => type === 'OK' && accepted === true)).toHaveLength(events.length);
    await until(() => fast.messages.filter(([type]) => type === 'EVENT').length === events.length, 'the fast subscriber');
    const delivered = fast.messages.filter(([type]) => type === 'EVENT').map(([, , event]) => (event as { id: string }).id);
    expect(delivered).toEqual(events.map((event) => event.id));

    // The slow one reads again: it finds it was shed, and why (or it was hung up on, with a reason).
    slow.raw.resume();
    await until(
      () => slow.messages.some(([type]) => type === 'CLOSED') || slow.socket.readyState === WebSocket.CLOSED,
      'the slow subscriber to be told',
    );
    const closed = slow.messages.find(([type, sub]) => type === 'CLOSED' && sub === 'slow');
    if (closed) expect(String(closed[2])).toMatch(/^rate-limited: too slow to keep up; reconnect and resubscribe with since=\d+$/);
    else expect(await slow.closed).toBe(1008);
    expect(slow.messages.filter(([type]) => type === 'EVENT').length).toBeLessThan(events.length);
    for (const { socket } of [fast, slow, publisher]) socket.close();
  });

  it('answers every EVENT of a burst with an OK while many subscriptions take its fan-out', async () => {
    const listeners = await Promise.all(Array.from({ length: 5 }, () => client(url)));
    for (const [i, listener] of listeners.entries()) {
      for (let s = 0; s < 10; s += 1) await subscribe(listener, `l${i}-${s}`, 'burst');
    }
    const publisher = await client(url);
    const author = new TestUser();
    const events = Array.from({ length: 1500 }, (_, i) => author.sign({ kind: 20001, tags: [['t', 'burst']], content: `burst ${i}` }));
    // Written at once, far past the pending-message cap of one connection.
    for (const event of events) publisher.socket.send(JSON.stringify(['EVENT', event]));
    await until(() => publisher.messages.filter(([type]) => type === 'OK').length >= events.length, 'an OK for every EVENT', 30_000);
    const oks = publisher.messages.filter(([type]) => type === 'OK');
    expect(new Set(oks.map(([, id]) => id))).toEqual(new Set(events.map((event) => event.id)));
    for (const [, , accepted, message] of oks) if (accepted !== true) expect(String(message)).toMatch(/^rate-limited: /);
    expect(publisher.messages.filter(([type]) => type === 'NOTICE')).toEqual([]);
    for (const { socket } of [...listeners, publisher]) socket.close();
  });
});
