import { existsSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { pushTestPattern } from '../../testkit/publishers.js';
import { createStream, eventually, ingestUrl, statusOf } from '../../testkit/streams.js';
import { TestUser } from '../../testkit/nostr.js';
import { liveEventAt } from '../../testkit/relay-client.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';

const wsUrl = (server: TestServer) => `${server.url.replace('http://', 'ws://')}/`;

const liveEventOn = (server: TestServer, streamId: string) => liveEventAt(wsUrl(server), streamId);

/** A player: fetches the multivariant playlist once, then its rendition's playlist every second. */
function startPlayer(server: TestServer, streamId: string) {
  let stopped = false;
  const done = (async () => {
    const master = await (await fetch(`${server.url}/hls/${streamId}/master.m3u8`)).text();
    const rendition = master.split('\n').find((line) => line.endsWith('.m3u8') || line.includes('.m3u8?'));
    while (!stopped && rendition) {
      await fetch(`${server.url}/hls/${streamId}/${rendition}`).catch(() => undefined);
      await sleep(1000);
    }
  })();
  return { stop: () => ((stopped = true), done) };
}

/**
 * Issue 5 end to end: a real RTMP push, simulated players, the 30311 read back with
 * nostr-tools from the built-in relay and from an external relay that is down while the
 * stream ends, analytics against what happened, and the real-time feed's order.
 */
describe('NIP-53 publishing with a real stream', () => {
  let external: TestServer;
  let main: TestServer;
  const alice = new TestUser();

  beforeAll(async () => {
    external = await startTestServer('sqlite');
    main = await startTestServer('sqlite', { env: { RELAYS: wsUrl(external), METRICS_SAMPLE_SECONDS: '1' } });
  });
  afterAll(async () => {
    await main?.destroy();
    await external?.destroy();
  });

  it('goes planned → live → ended with counts and its recording, reaches a relay that was down, and agrees with the analytics', { timeout: 120_000 }, async () => {
    const stream = await createStream(main, alice, { quality: '360p', record: true, tags: ['e2e'] });
    const feed = new WebSocket(`${wsUrl(main)}api/v1/streams/${stream.stream_id}/ws`);
    const statuses: string[] = [];
    let announcedRecording: string | null | undefined;
    feed.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { type: string; status?: string; recording_url?: string | null };
      if (message.type !== 'status') return;
      if (message.status && statuses.at(-1) !== message.status) statuses.push(message.status);
      announcedRecording = message.recording_url;
    });
    await new Promise((resolve) => feed.once('open', resolve));

    const planned = await eventually('planned', async () => liveEventOn(main, stream.stream_id));
    expect(planned).toMatchObject({
      status: 'planned',
      host: alice.pubkey,
      hashtags: ['tech', 'e2e'],
      currentParticipants: 0,
      totalParticipants: 0,
    });

    const publisher = pushTestPattern(ingestUrl(main, stream.stream_key), { seconds: 90, size: '640x360' });
    try {
      await eventually('connected', async () => ((await statusOf(main, alice, stream.stream_id)).status === 'connected' ? true : undefined));
      await main.call('POST', `/api/v1/streams/${stream.stream_id}/start`, { as: alice });
      // Looked for on disk: every HTTP fetch of a playlist would count as a viewer.
      await eventually('the playlist', async () =>
        existsSync(path.join(main.dataDir, 'hls', stream.stream_id, 'master.m3u8')) ? true : undefined,
      );
      const players = [startPlayer(main, stream.stream_id), startPlayer(main, stream.stream_id), startPlayer(main, stream.stream_id)];

      // Counts reach the live event within the 10 s update limit.
      const live = await eventually(
        'the live event with three viewers',
        async () => {
          const event = await liveEventOn(main, stream.stream_id);
          return event?.status === 'live' && event.currentParticipants === 3 ? event : undefined;
        },
        30_000,
      );
      expect(live).toMatchObject({
        streaming: `${main.url}/hls/${stream.stream_id}/master.m3u8`,
        totalParticipants: 3,
        starts: expect.any(Number),
        qualityOptions: ['source', '360p'],
      });
      await eventually('the external relay to have it live', async () =>
        (await liveEventOn(external, stream.stream_id))?.status === 'live' ? true : undefined,
      );
      await Promise.all(players.map((player) => player.stop()));

      // The external relay goes away; the stream ends meanwhile.
      await external.stop();
      await main.call('POST', `/api/v1/streams/${stream.stream_id}/stop`, { as: alice });
      // The recording is finished after the end; its arrival republishes the ended event at once.
      const vodUrl = `${main.url}/vod/${stream.stream_id}/index.m3u8`;
      const ended = await eventually('ended with the recording', async () => {
        const event = await liveEventOn(main, stream.stream_id);
        return event?.status === 'ended' && event.recording !== undefined ? event : undefined;
      });
      expect(ended).toMatchObject({ currentParticipants: 0, totalParticipants: 3, ends: expect.any(Number), recording: vodUrl });
      // nostrudel lists only streams it can play: an ended one plays its recording.
      expect(ended.streaming).toBe(vodUrl);
      const vod = await (await fetch(vodUrl)).text();
      expect(vod).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
      expect(vod).toContain('#EXT-X-ENDLIST');
      await eventually('the feed to announce the recording', async () => (announcedRecording === vodUrl ? true : undefined));

      external = await external.restart();
      const mirrored = await eventually('the external relay to catch up', async () => {
        const event = await liveEventOn(external, stream.stream_id);
        return event?.status === 'ended' ? event : undefined;
      }, 40_000);
      expect(mirrored.id).toBe(ended.id);
    } finally {
      publisher.child.kill('SIGKILL');
      feed.close();
    }

    expect(statuses).toEqual(['created', 'connected', 'live', 'ended']);

    type Analytics = {
      peakViewers: number;
      totalViewers: number;
      duration: number;
      averageViewTime: number;
      timeline: { viewers: number }[];
    };
    const { body: analytics } = await main.call<Analytics>('GET', `/api/v1/streams/${stream.stream_id}/analytics`, { as: alice });
    expect(analytics).toMatchObject({ peakViewers: 3, totalViewers: 3 });
    // The players polled for several seconds each: the final sample keeps that watch time.
    expect(analytics.averageViewTime).toBeGreaterThan(0);
    expect(analytics.duration).toBeGreaterThan(0);
    const rows = await main.app.database.db
      .selectFrom('stream_metrics')
      .select(['concurrent_viewers', 'bitrate'])
      .where('stream_id', '=', stream.stream_id)
      .orderBy('id')
      .execute();
    expect(analytics.timeline.map((point) => point.viewers)).toEqual(rows.map((row) => row.concurrent_viewers));
    expect(Math.max(...rows.map((row) => row.concurrent_viewers))).toBe(3);
    // The encoder was pushing while the samples were taken: the ingest bitrate is measured.
    expect(rows.some((row) => (row.bitrate ?? 0) > 0)).toBe(true);
  });
});
