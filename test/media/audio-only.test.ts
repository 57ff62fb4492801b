import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TestUser } from '../../testkit/nostr.js';
import { pushTone, type PublisherProcess } from '../../testkit/publishers.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';
import { createStream, eventually, ingestUrl, probe, statusOf, transcodersFor } from '../../testkit/streams.js';

const lastSegment = (playlist: string) => Number(/seg_(\d+)\.ts(?![\s\S]*seg_)/.exec(playlist)?.[1] ?? -1);

/** Bits per second of a rendition as its live playlist lists it: segment bytes over their durations. */
async function measuredKbps(base: string, playlist: string): Promise<number> {
  const entries = [...playlist.matchAll(/#EXTINF:([\d.]+),?\n(?:#[^\n]*\n)*(seg_\d+\.ts)/g)];
  let bytes = 0;
  let seconds = 0;
  for (const [, duration, segment] of entries) {
    bytes += (await (await fetch(`${base}/${segment}`)).arrayBuffer()).byteLength;
    seconds += Number(duration);
  }
  return (bytes * 8) / seconds / 1000;
}

/**
 * A musician's push with no camera: ffmpeg sends a tone as AAC over RTMP with no video track,
 * and the stream goes live with an audio-only ladder that ffprobe reads as sound only.
 */
describe('audio-only streams', () => {
  let server: TestServer;
  const alice = new TestUser();
  const publishers: PublisherProcess[] = [];

  beforeAll(async () => {
    server = await startTestServer('sqlite', { env: { RECONNECT_GRACE_SECONDS: '20' } });
  });
  afterEach(() => {
    for (const publisher of publishers.splice(0)) publisher.child.kill('SIGKILL');
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it('takes an AAC-only push to an audio HLS ladder (source copy + 64 kbps) and an audio recording', { timeout: 90_000 }, async () => {
    const stream = await createStream(server, alice, { record: true });
    publishers.push(pushTone(ingestUrl(server, stream.stream_key), { seconds: 40 }));
    await eventually('the encoder to connect', async () =>
      (await statusOf(server, alice, stream.stream_id)).status === 'connected' ? true : undefined,
    );
    expect((await server.call('POST', `/api/v1/streams/${stream.stream_id}/start`, { as: alice })).status).toBe(200);

    const hls = `${server.url}/hls/${stream.stream_id}`;
    const master = await eventually('the multivariant playlist', async () => {
      const response = await fetch(`${hls}/master.m3u8`);
      return response.status === 200 ? response.text() : undefined;
    });
    const variants = [...master.matchAll(/#EXT-X-STREAM-INF:(.*)\n([^\n?]+)/g)].map((match) => ({ attributes: match[1] ?? '', uri: match[2] ?? '' }));
    expect(variants.map((variant) => variant.uri)).toEqual(['audio/index.m3u8', 'audio-64k/index.m3u8']);
    for (const variant of variants) {
      expect(variant.attributes).toContain('CODECS="mp4a.40.2"');
      expect(variant.attributes).not.toMatch(/RESOLUTION|FRAME-RATE/);
    }

    const bitrates: Record<string, number> = {};
    for (const name of ['audio', 'audio-64k']) {
      const media = await eventually(`${name} to have four segments`, async () => {
        const text = await (await fetch(`${hls}/${name}/index.m3u8`)).text();
        return (text.match(/#EXTINF/g) ?? []).length >= 4 ? text : undefined;
      }, 30_000);
      const durations = [...media.matchAll(/#EXTINF:([\d.]+)/g)].map((match) => Number(match[1]));
      for (const duration of durations.slice(0, -1)) expect(duration).toBeCloseTo(2, 1);
      const { streams } = await probe(`${hls}/${name}/index.m3u8`);
      expect(streams.map((s) => s.codec_type)).toEqual(['audio']);
      expect(streams[0]).toMatchObject({ codec_name: 'aac', sample_rate: '48000' });
      bitrates[name] = await measuredKbps(`${hls}/${name}`, media);
    }
    // MPEG-TS framing adds some 10–20 % to the audio's own bitrate; a re-encode at 160 would measure 175 or more.
    expect(bitrates['audio']).toBeGreaterThan(110);
    expect(bitrates['audio']).toBeLessThan(160);
    expect(bitrates['audio-64k']).toBeGreaterThan(55);
    expect(bitrates['audio-64k']).toBeLessThan(95);
    // The source is copied, not re-encoded at 160 kbit/s.
    expect(transcodersFor(`${server.dataDir}/hls/${stream.stream_id}`)).toHaveLength(1);

    expect((await server.call('POST', `/api/v1/streams/${stream.stream_id}/stop`, { as: alice })).status).toBe(200);
    const ended = await eventually('the recording', async () => {
      const status = await statusOf(server, alice, stream.stream_id);
      return status.recording_url ? status : undefined;
    });
    const vod = await (await fetch(ended.recording_url ?? '')).text();
    expect(vod).toContain('#EXT-X-ENDLIST');
    const recorded = await probe(ended.recording_url ?? '');
    expect(recorded.streams.map((s) => `${s.codec_type}:${s.codec_name}`)).toEqual(['audio:aac']);
  });

  it('pauses to silence, resumes, and continues the same playlists after a reconnect', { timeout: 90_000 }, async () => {
    const stream = await createStream(server, alice, { record: false });
    const first = pushTone(ingestUrl(server, stream.stream_key), { seconds: 14 });
    publishers.push(first);
    await eventually('connected', async () => ((await statusOf(server, alice, stream.stream_id)).status === 'connected' ? true : undefined));
    await server.call('POST', `/api/v1/streams/${stream.stream_id}/start`, { as: alice });
    const small = `${server.url}/hls/${stream.stream_id}/audio-64k/index.m3u8`;
    const text = async () => (await fetch(small)).text();
    await eventually('segments', async () => (lastSegment(await text()) >= 1 ? true : undefined));

    await server.call('POST', `/api/v1/streams/${stream.stream_id}/pause`, { as: alice });
    const atPause = lastSegment(await text());
    const paused = await eventually('silence segments', async () => {
      const playlist = await text();
      return lastSegment(playlist) >= atPause + 2 && playlist.includes('#EXT-X-DISCONTINUITY') ? playlist : undefined;
    });
    const slate = await probe(`${server.url}/hls/${stream.stream_id}/audio-64k/seg_${String(lastSegment(paused)).padStart(5, '0')}.ts`);
    expect(slate.streams.map((s) => `${s.codec_type}:${s.codec_name}`)).toEqual(['audio:aac']);

    await server.call('POST', `/api/v1/streams/${stream.stream_id}/resume`, { as: alice });
    await first.exited;
    await eventually('reconnecting', async () => ((await statusOf(server, alice, stream.stream_id)).status === 'reconnecting' ? true : undefined));
    const beforeReconnect = lastSegment(await text());
    publishers.push(pushTone(ingestUrl(server, stream.stream_key), { seconds: 20 }));
    await eventually('live again', async () => ((await statusOf(server, alice, stream.stream_id)).status === 'live' ? true : undefined));
    await eventually('new segments after the reconnect', async () => (lastSegment(await text()) > beforeReconnect + 1 ? true : undefined));
    const { streams } = await probe(small);
    expect(streams.map((s) => s.codec_type)).toEqual(['audio']);
    expect((await fetch(`${server.url}/hls/${stream.stream_id}/master.m3u8`)).status).toBe(200);
    await server.call('POST', `/api/v1/streams/${stream.stream_id}/stop`, { as: alice });
  });

  it('re-encodes an MP3-only push to AAC at 160 kbit/s', { timeout: 60_000 }, async () => {
    const stream = await createStream(server, alice, { record: false });
    publishers.push(pushTone(ingestUrl(server, stream.stream_key), { seconds: 30, sampleRate: 44_100, codec: 'libmp3lame' }));
    await eventually('connected', async () => ((await statusOf(server, alice, stream.stream_id)).status === 'connected' ? true : undefined));
    await server.call('POST', `/api/v1/streams/${stream.stream_id}/start`, { as: alice });
    const hls = `${server.url}/hls/${stream.stream_id}`;
    const master = await eventually('the multivariant playlist', async () => {
      const response = await fetch(`${hls}/master.m3u8`);
      return response.status === 200 ? response.text() : undefined;
    });
    expect([...master.matchAll(/CODECS="([^"]+)"/g)].map((match) => match[1])).toEqual(['mp4a.40.2', 'mp4a.40.2']);
    expect(master).toContain('AVERAGE-BANDWIDTH=160000');
    const media = await eventually('three segments', async () => {
      const text = await (await fetch(`${hls}/audio/index.m3u8`)).text();
      return (text.match(/#EXTINF/g) ?? []).length >= 3 ? text : undefined;
    });
    const { streams } = await probe(`${hls}/audio/index.m3u8`);
    expect(streams.map((s) => `${s.codec_type}:${s.codec_name}:${s.sample_rate}`)).toEqual(['audio:aac:48000']);
    expect(await measuredKbps(`${hls}/audio`, media)).toBeGreaterThan(160);
    await server.call('POST', `/api/v1/streams/${stream.stream_id}/stop`, { as: alice });
  });
});
