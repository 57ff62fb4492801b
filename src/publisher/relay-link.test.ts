import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';
import { afterEach, describe, expect, it } from 'vitest';
import {
  garbageRelay,
  hangingUpRelay,
  scriptedRelay,
  silentRelay,
  type FakeRelayServer,
} from '../../testkit/misbehaving-relays.js';
import { openRelayLink } from './relay-link.js';

const event = finalizeEvent({ kind: 30311, created_at: 1_700_000_000, tags: [['d', 'stream-1']], content: '' }, generateSecretKey());
const okFor = (message: string, accepted: boolean, reason: string) => {
  const [, sent] = JSON.parse(message) as [string, { id: string }];
  return JSON.stringify(['OK', sent.id, accepted, reason]);
};

let relay: FakeRelayServer | undefined;
afterEach(async () => {
  await relay?.close();
  relay = undefined;
});

/** Real sockets against relays that misbehave: every failure is a rejection, never an unhandled 'error'. */
describe('openRelayLink', () => {
  it.each([
    ['accepts TCP and never answers', silentRelay, /no WebSocket handshake within 300 ms/],
    ['answers garbage', garbageRelay, /Parse Error/],
    ['hangs up mid-handshake', hangingUpRelay, /socket hang up/],
  ])('fails to open a relay that %s, and reports the close', async (_, start, reason) => {
    relay = await start();
    let closed = 0;
    await expect(openRelayLink(relay.url, 300, () => (closed += 1))).rejects.toThrow(reason);
    expect(closed).toBe(1);
  });

  it('gives up on a relay that never answers OK, and resolves or rejects with what a relay says', async () => {
    const answers = [undefined, 'OK false', 'not json', 'OK true'];
    const scripted = await scriptedRelay((message) => {
      const next = answers.shift();
      if (next === 'OK false') return okFor(message, false, 'blocked: not on the list');
      if (next === 'OK true') return okFor(message, true, '');
      if (next === 'not json') return '{{{';
      return undefined;
    });
    relay = scripted;
    const link = await openRelayLink(scripted.url, 300, () => undefined);
    await expect(link.publish(event)).rejects.toThrow('no OK within 300 ms');
    await expect(link.publish(event)).rejects.toThrow('blocked: not on the list');
    // Garbage is ignored: the wait goes on until the time is up.
    await expect(link.publish(event)).rejects.toThrow('no OK within 300 ms');
    await expect(link.publish(event)).resolves.toBe('');
    expect(scripted.received).toHaveLength(4);
    link.close();
  });

  it('rejects what is waiting when the relay drops the connection, or sends more than an OK can be', async () => {
    const scripted = await scriptedRelay(() => Buffer.alloc(0));
    relay = scripted;
    let closed = false;
    const link = await openRelayLink(scripted.url, 5000, () => (closed = true));
    const waiting = link.publish(event);
    await relay.close();
    await expect(waiting).rejects.toThrow(/closed/);
    expect(closed).toBe(true);
    expect(link.connected).toBe(false);
    await expect(link.publish(event)).rejects.toThrow('relay connection closed');

    relay = await scriptedRelay(() => 'x'.repeat(100_000));
    const flooded = await openRelayLink(relay.url, 5000, () => undefined);
    await expect(flooded.publish(event)).rejects.toThrow(/Max payload size exceeded/);
  });

  it('ends a connection still opening when the signal aborts', async () => {
    relay = await silentRelay();
    const shutdown = new AbortController();
    const opening = openRelayLink(relay.url, 10_000, () => undefined, shutdown.signal);
    setTimeout(() => shutdown.abort(), 50);
    const started = Date.now();
    await expect(opening).rejects.toThrow('relay connection closed by us');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
