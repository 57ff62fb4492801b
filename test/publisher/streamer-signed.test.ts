import type { EventTemplate, VerifiedEvent } from 'nostr-tools/pure';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamView } from '../../src/protocol/api-views.js';
import { parseLiveEvent } from '../../src/protocol/live-event.js';
import { TestBunker } from '../../testkit/bunker.js';
import { ENGINES } from '../../testkit/engines.js';
import { TestUser } from '../../testkit/nostr.js';
import { queryRelay, Relay } from '../../testkit/relay-client.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';
import { createStream, eventually, goLiveWithTestPattern } from '../../testkit/streams.js';

const isEndedTwin = (template: EventTemplate) => template.tags.some(([name, value]) => name === 'status' && value === 'ended');

/**
 * A streamer-signed stream with no browser anywhere: the service's NIP-46 session with the
 * streamer's bunker signs its 30311 as the streamer through planned, live, an update and
 * the end; and when the bunker goes away mid-stream, the end is the `ended` twin it signed ahead.
 */
describe.each(ENGINES)('streamer-signed live events on %s', (engine) => {
  let server: TestServer;
  const host = new TestUser();
  const relayUrl = () => server.url.replace('http://', 'ws://');

  beforeAll(async () => {
    // The rename while live waits out the 30311 rate limit, and the restarted stream its reconnect grace: both as short as they can be.
    server = await startTestServer(engine, { env: { BUNKER_TIMEOUT_SECONDS: '2', RECONNECT_GRACE_SECONDS: '1', LIVE_EVENT_MIN_INTERVAL_SECONDS: '2' } });
  });
  afterAll(async () => {
    await server?.destroy();
  });

  /** Every 30311 the relay holds for the stream id, by any author. */
  async function liveEvents(streamId: string): Promise<VerifiedEvent[]> {
    const relay = await Relay.connect(relayUrl());
    try {
      return await queryRelay(relay, [{ kinds: [30311], '#d': [streamId] }]);
    } finally {
      relay.close();
    }
  }
  const newest = async (streamId: string) => {
    const events = await liveEvents(streamId);
    const [event] = events;
    if (!event) return undefined;
    const parsed = parseLiveEvent(event);
    return parsed.ok ? { event, live: parsed.value, count: events.length } : undefined;
  };
  type Newest = NonNullable<Awaited<ReturnType<typeof newest>>>;
  const newestWhen = (streamId: string, what: string, check: (found: Newest) => boolean) =>
    eventually(what, async () => {
      const found = await newest(streamId);
      return found && check(found) ? found : undefined;
    });
  /** A streamer-signed stream fed a test pattern, once its live event is on the relay. */
  async function goLive(bunker: TestBunker, record = false) {
    const stream = await createStream(server, host, { quality: '360p', record, signer: 'streamer', bunker: bunker.uri });
    const publisher = await goLiveWithTestPattern(server, host, stream, { seconds: 60, size: '640x360' });
    const live = await newestWhen(stream.stream_id, 'the live event', (found) => found.live.status === 'live');
    return { stream, publisher, live };
  }

  it('goes planned → live → updated → ended, every version signed by the streamer', { timeout: 120_000 }, async () => {
    const bunker = await TestBunker.start(relayUrl(), host.secret);
    try {
      const { stream, publisher, live } = await goLive(bunker);
      try {
        expect(live.event.pubkey).toBe(host.pubkey);
        expect(live.count).toBe(1);

        await server.call('PATCH', `/api/v1/streams/${stream.stream_id}`, { as: host, json: { title: 'Renamed while live' } });
        const updated = await newestWhen(stream.stream_id, 'the renamed live event', (found) => found.live.title === 'Renamed while live');
        expect(updated.event.pubkey).toBe(host.pubkey);
        expect(updated.live.status).toBe('live');

        await server.call('POST', `/api/v1/streams/${stream.stream_id}/stop`, { as: host });
        const ended = await newestWhen(stream.stream_id, 'the ended event', (found) => found.live.status === 'ended');
        expect(ended.event.pubkey).toBe(host.pubkey);
        expect(ended.count).toBe(1);
        // The bunker was asked for live events only.
        expect(new Set(bunker.signed.map((template) => template.kind))).toEqual(new Set([30311]));
        const view = await server.call<StreamView>('GET', `/api/v1/streams/${stream.stream_id}/status`, { as: host });
        expect(view.body).toMatchObject({ signer: 'streamer', event_pubkey: host.pubkey, signer_status: 'ok' });
      } finally {
        publisher.child.kill('SIGKILL');
      }
    } finally {
      bunker.close();
    }
  });

  it('ends with the ended twin when the bunker has gone away mid-stream', { timeout: 120_000 }, async () => {
    const bunker = await TestBunker.start(relayUrl(), host.secret);
    const { stream, publisher, live } = await goLive(bunker, true);
    try {
      // With the live version the bunker has also signed its ended twin.
      await eventually('the twin signed', async () => (bunker.signed.some(isEndedTwin) ? true : undefined));
      bunker.close();

      await server.call('POST', `/api/v1/streams/${stream.stream_id}/stop`, { as: host });
      const ended = await newestWhen(stream.stream_id, 'the ended twin', (found) => found.live.status === 'ended');
      expect(ended.event.pubkey).toBe(host.pubkey);
      expect(ended.event.created_at).toBeGreaterThan(live.event.created_at);
      expect(ended.live.ends).toBeDefined();
      // It points at where the recording is joined, which is what plays once the stream has ended.
      const recording = `${server.url}/vod/${stream.stream_id}/index.m3u8`;
      expect(ended.live).toMatchObject({ streaming: recording, recording });
      const view = await server.call<StreamView>('GET', `/api/v1/streams/${stream.stream_id}/status`, { as: host });
      expect(view.body.signer_status).toBe('unreachable');
    } finally {
      publisher.child.kill('SIGKILL');
    }
  });

  it('ends with the held twin after a restart when the bunker is gone', { timeout: 120_000 }, async () => {
    const bunker = await TestBunker.start(relayUrl(), host.secret);
    const { stream, publisher, live } = await goLive(bunker);
    await eventually('the twin signed', async () => (bunker.signed.some(isEndedTwin) ? true : undefined));
    bunker.close();
    try {
      // The stream is left live by the stop; after the restart it waits out the grace for its encoder and ends.
      server = await server.restart();
    } finally {
      publisher.child.kill('SIGKILL');
    }
    const ended = await newestWhen(stream.stream_id, 'the ended twin after the restart', (found) => found.live.status === 'ended');
    expect(ended.event.pubkey).toBe(host.pubkey);
    expect(ended.event.created_at).toBeGreaterThan(live.event.created_at);
  });
});
