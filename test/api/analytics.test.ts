import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildLiveChat } from '../../src/protocol/live-chat.js';
import { liveEventCoordinate } from '../../src/protocol/coordinate.js';
import { TestUser } from '../../testkit/nostr.js';
import { Relay } from '../../testkit/relay-client.js';
import { useTestServer } from '../../testkit/suites.js';

interface Created {
  stream_id: string;
  stream_key: string;
}

/**
 * A stream's analytics and the Prometheus endpoint, fed by what really happened: a player
 * fetching playlists, chat on the relay, a buffering report on the real-time socket.
 */
describe('analytics and metrics', () => {
  const suite = useTestServer('sqlite', { env: { METRICS_SAMPLE_SECONDS: '1' } });
  const alice = new TestUser();

  async function liveStream(extra: object = {}): Promise<Created> {
    const { body } = await suite.server.call<Created>('POST', '/api/v1/streams/create', {
      as: alice,
      json: { title: 'Analytics', category: 'talk', ...extra },
    });
    await suite.server.call('POST', '/api/v1/streams/auth', { json: { name: body.stream_key, call: 'publish' } });
    await suite.server.call('POST', `/api/v1/streams/${body.stream_id}/start`, { as: alice });
    const folder = path.join(suite.server.dataDir, 'hls', body.stream_id);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'master.m3u8'), '#EXTM3U\n');
    return body;
  }

  it('reports duration, viewers, chat, buffering and a timeline, leaving out what was not measured', async () => {
    const stream = await liveStream();
    await fetch(`${suite.server.url}/hls/${stream.stream_id}/master.m3u8`);

    const relay = await Relay.connect(suite.server.url.replace('http://', 'ws://'));
    const coordinate = liveEventCoordinate(suite.server.app.serviceKey.pubkey, stream.stream_id);
    for (const [author, text] of [[new TestUser(), 'hello'], [new TestUser(), 'hi!'], [new TestUser(), 'great set']] as const) {
      await relay.publish(author.sign(buildLiveChat({ stream: coordinate, content: text }, Math.floor(Date.now() / 1000))));
    }
    relay.close();

    const feed = new WebSocket(`${suite.server.url.replace('http://', 'ws://')}/api/v1/streams/${stream.stream_id}/ws`);
    await new Promise((resolve) => feed.once('open', resolve));
    feed.send(JSON.stringify({ type: 'buffering', duration_ms: 1200 }));
    feed.send(JSON.stringify({ type: 'quality_switch', from: '720p', to: '480p' }));

    type Analytics = {
      duration: number;
      peakViewers: number;
      totalViewers: number;
      chatMessages: number;
      chatEngagement?: number;
      qualityMetrics: { bufferingEvents: number; bufferingSeconds: number; qualitySwitches: number; dropoutEvents: number; averageBitrate?: number };
      timeline: { timestamp: number; viewers: number; chatMessages: number }[];
    };
    let analytics: Analytics | undefined;
    for (let waited = 0; waited < 8000; waited += 250) {
      await sleep(250);
      analytics = (await suite.server.call<Analytics>('GET', `/api/v1/streams/${stream.stream_id}/analytics`, { as: alice })).body;
      const last = analytics.timeline.at(-1);
      if (last && last.viewers === 1 && analytics.qualityMetrics.bufferingEvents === 1 && analytics.qualityMetrics.qualitySwitches === 1) break;
    }
    feed.close();
    expect(analytics).toMatchObject({
      peakViewers: 1,
      totalViewers: 1,
      chatMessages: 3,
      chatEngagement: 1,
      qualityMetrics: { bufferingEvents: 1, bufferingSeconds: 1, qualitySwitches: 1, dropoutEvents: 0 },
    });
    expect(analytics?.duration).toBeGreaterThanOrEqual(0);
    expect(analytics?.timeline.reduce((sum, point) => sum + point.chatMessages, 0)).toBe(3);
    // No encoder pushed media here, so there is no bitrate to average; the local player's country is unknown.
    expect(analytics?.qualityMetrics).not.toHaveProperty('averageBitrate');
    expect(analytics).toMatchObject({ chatters: 3, countries: [{ country: 'ZZ', viewers: 1 }] });
  });

  it('shows analytics to the owner only: a stranger is refused, and a private stream is not found', async () => {
    const stranger = new TestUser();
    const path = (id: string) => `/api/v1/streams/${id}/analytics`;
    const open = await liveStream();
    expect((await suite.server.call('GET', path(open.stream_id))).status).toBe(401);
    expect(await suite.server.call('GET', path(open.stream_id), { as: stranger })).toMatchObject({ status: 403, body: { error: 'not_owner' } });
    const hidden = await liveStream({ visibility: 'private' });
    expect((await suite.server.call('GET', path(hidden.stream_id), { as: stranger })).status).toBe(404);
    expect((await suite.server.call('GET', path(hidden.stream_id), { as: alice })).status).toBe(200);
  });

  it('gives anyone the summary of how a stream went, and hides a private one', async () => {
    const open = await liveStream();
    await suite.server.call('POST', `/api/v1/streams/${open.stream_id}/stop`, { as: alice });
    const summary = await suite.server.call('GET', `/api/v1/streams/${open.stream_id}/summary`);
    expect(summary.status).toBe(200);
    expect(Object.keys(summary.body as object).sort()).toEqual(['chatMessages', 'duration', 'peakViewers']);
    const hidden = await liveStream({ visibility: 'private' });
    expect((await suite.server.call('GET', `/api/v1/streams/${hidden.stream_id}/summary`)).status).toBe(404);
  });

  it('exposes Prometheus metrics for live streams, viewers and relay events', async () => {
    await liveStream();
    const response = await fetch(`${suite.server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('wavlake_live_streams')).toBeGreaterThanOrEqual(1);
    expect(value('wavlake_relay_events_total\\{result="accepted"\\}')).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^wavlake_viewers \d+$/m);
    expect(text).toMatch(/^wavlake_transcoder_restarts_total 0$/m);
    expect(text).toMatch(/^# TYPE wavlake_ingest_bitrate_kbps gauge$/m);
  });
});
