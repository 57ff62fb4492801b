import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TestUser } from '../../testkit/nostr.js';
import { pushTone, pushSoundWithGstreamer, type PublisherProcess } from '../../testkit/publishers.js';
import { liveEventAt } from '../../testkit/relay-client.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';
import { createStream, eventually, ingestUrl, probe, probeSegment, statusOf, transcodersFor } from '../../testkit/streams.js';

const lastSegment = (playlist: string) => Number(/seg_(\d+)\.m4s(?![\s\S]*seg_)/.exec(playlist)?.[1] ?? -1);
const mediaSequence = (playlist: string) => Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(playlist)?.[1] ?? -1);

/**
 * Reads an audio ladder as a player would and checks it is sound only: the multivariant playlist
 * lists `audio` then `audio-64k`, each with CODECS naming AAC-LC alone and no picture attributes,
 * and ffprobe finds one AAC 48 kHz stream and no video in every segment of both renditions.
 * Answers the multivariant playlist and each rendition's audio kbit/s as ffprobe measures it: the
 * AAC packets' bytes over their durations, without the MPEG-TS framing.
 */
async function readAudioLadder(hls: string): Promise<{ master: string; kbps: Record<string, number> }> {
  const master = await eventually('the multivariant playlist', async () => {
    const response = await fetch(`${hls}/master.m3u8`);
    return response.status === 200 ? response.text() : undefined;
  });
  const variants = [...master.matchAll(/#EXT-X-STREAM-INF:(.*)\n([^\n?]+)/g)].map((match) => ({ attributes: match[1] ?? '', uri: match[2] ?? '' }));
  expect(variants.map((variant) => variant.uri)).toEqual(['audio/index.m3u8', 'audio-64k/index.m3u8']);
  for (const variant of variants) {
    expect(/CODECS="([^"]*)"/.exec(variant.attributes)?.[1]).toBe('mp4a.40.2');
    expect(variant.attributes).not.toMatch(/RESOLUTION|FRAME-RATE/);
  }

  const kbps: Record<string, number> = {};
  for (const name of ['audio', 'audio-64k']) {
    const media = await eventually(`${name} to have four segments`, async () => {
      const text = await (await fetch(`${hls}/${name}/index.m3u8`)).text();
      return (text.match(/#EXTINF/g) ?? []).length >= 4 ? text : undefined;
    }, 30_000);
    const durations = [...media.matchAll(/#EXTINF:([\d.]+)/g)].map((match) => Number(match[1]));
    // Six parts of fifteen AAC frames (0.32 s): the segment closest to 2 s that parts of at most 1/3 s make.
    for (const duration of durations.slice(0, -1)) expect(duration).toBeCloseTo(1.92, 2);
    let bytes = 0;
    let seconds = 0;
    for (const [segment] of media.matchAll(/seg_\d+\.m4s/g)) {
      const { streams, packets = [] } = await probeSegment(`${hls}/${name}`, media, segment, { packets: true });
      expect(streams.map((s) => `${s.codec_type}:${s.codec_name}:${s.sample_rate}`), `${name}/${segment}`).toEqual(['audio:aac:48000']);
      for (const packet of packets) {
        bytes += Number(packet.size);
        seconds += Number(packet.duration_time ?? 0);
      }
    }
    kbps[name] = (bytes * 8) / seconds / 1000;
  }
  return { master, kbps };
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

    const { kbps: bitrates } = await readAudioLadder(`${server.url}/hls/${stream.stream_id}`);
    // Pushed at 128 kbit/s: the copy carries about that (a re-encode would carry 160), the small one about 64.
    expect(bitrates['audio']).toBeGreaterThan(128 * 0.85);
    expect(bitrates['audio']).toBeLessThan(128 * 1.15);
    expect(bitrates['audio-64k']).toBeGreaterThan(64 * 0.85);
    expect(bitrates['audio-64k']).toBeLessThan(64 * 1.15);
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
    const slate = await probeSegment(`${server.url}/hls/${stream.stream_id}/audio-64k`, paused, `seg_${String(lastSegment(paused)).padStart(5, '0')}.m4s`);
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
    const { master, kbps } = await readAudioLadder(`${server.url}/hls/${stream.stream_id}`);
    expect(master).toContain('AVERAGE-BANDWIDTH=160000');
    expect(kbps['audio']).toBeGreaterThan(160 * 0.9);
    expect(kbps['audio']).toBeLessThan(160 * 1.15);
    expect(kbps['audio-64k']).toBeLessThan(64 * 1.15);
    await server.call('POST', `/api/v1/streams/${stream.stream_id}/stop`, { as: alice });
  });

  it('takes a GStreamer AAC-only push (voaacenc, flvmux, rtmp2sink) to the same audio ladder, its sound copied', { timeout: 60_000 }, async () => {
    const stream = await createStream(server, alice, { record: false });
    // 96 kbit/s: neither ffmpeg's 128 default nor the 160 of a re-encode, so a copy is told apart.
    publishers.push(pushSoundWithGstreamer(ingestUrl(server, stream.stream_key), { seconds: 40, kbps: 96 }));
    await eventually('connected', async () => ((await statusOf(server, alice, stream.stream_id)).status === 'connected' ? true : undefined));
    expect((await server.call('POST', `/api/v1/streams/${stream.stream_id}/start`, { as: alice })).status).toBe(200);
    const { master, kbps } = await readAudioLadder(`${server.url}/hls/${stream.stream_id}`);
    // The multivariant playlist announces what the encoder sends, as measured at the ingest.
    const [copied, small] = [...master.matchAll(/AVERAGE-BANDWIDTH=(\d+)/g)].map((match) => Number(match[1]));
    expect(copied).toBeGreaterThan(96_000 * 0.9);
    expect(copied).toBeLessThan(96_000 * 1.15);
    expect(small).toBe(64_000);
    expect(kbps['audio']).toBeGreaterThan(96 * 0.9);
    expect(kbps['audio']).toBeLessThan(96 * 1.1);
    expect(kbps['audio-64k']).toBeGreaterThan(64 * 0.85);
    expect(kbps['audio-64k']).toBeLessThan(64 * 1.15);
    expect((await statusOf(server, alice, stream.stream_id)).status).toBe('live');
    await server.call('POST', `/api/v1/streams/${stream.stream_id}/stop`, { as: alice });
  });

  it('restarts an audio ffmpeg that dies and keeps the same playlists going, live all along', { timeout: 90_000 }, async () => {
    const stream = await createStream(server, alice, { record: true });
    publishers.push(pushTone(ingestUrl(server, stream.stream_key), { seconds: 60 }));
    await eventually('connected', async () => ((await statusOf(server, alice, stream.stream_id)).status === 'connected' ? true : undefined));
    await server.call('POST', `/api/v1/streams/${stream.stream_id}/start`, { as: alice });
    const hls = `${server.url}/hls/${stream.stream_id}`;
    const text = async (rendition: string) => (await fetch(`${hls}/${rendition}/index.m3u8`)).text();
    // Past the first 4 s recording segment, so the crashed run leaves a part of the recording.
    await eventually('segments', async () => (lastSegment(await text('audio-64k')) >= 3 ? true : undefined));
    const dir = `${server.dataDir}/hls/${stream.stream_id}`;
    const [pid] = transcodersFor(dir);
    expect(pid).toBeDefined();
    const before = { audio: await text('audio'), 'audio-64k': await text('audio-64k') };
    // Every status answered while ffmpeg is down and back: a crash is not the encoder leaving.
    const seen = new Set<string>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        seen.add((await statusOf(server, alice, stream.stream_id)).status);
        await sleep(200);
      }
    })();
    process.kill(pid ?? 0, 'SIGKILL');

    await eventually('a new transcoder', async () => {
      const [next] = transcodersFor(dir);
      return next !== undefined && next !== pid ? next : undefined;
    });
    for (const rendition of ['audio', 'audio-64k'] as const) {
      const after = await eventually(`new ${rendition} segments after a discontinuity`, async () => {
        const playlist = await text(rendition);
        return lastSegment(playlist) >= lastSegment(before[rendition]) + 3 && playlist.includes('#EXT-X-DISCONTINUITY') ? playlist : undefined;
      });
      // The live window moves on past the segments from before the crash.
      await eventually(`the ${rendition} window to move on`, async () =>
        mediaSequence(await text(rendition)) > mediaSequence(before[rendition]) ? true : undefined,
      );
      const { streams } = await probeSegment(`${hls}/${rendition}`, after, `seg_${String(lastSegment(after)).padStart(5, '0')}.m4s`);
      expect(streams.map((s) => `${s.codec_type}:${s.codec_name}`)).toEqual(['audio:aac']);
    }
    watching = false;
    await watcher;
    expect([...seen]).toEqual(['live']);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(Number(/^wavlake_transcoder_restarts_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
    const relay = `${server.url.replace('http:', 'ws:')}/`;
    expect((await liveEventAt(relay, stream.stream_id))?.status).toBe('live');
    await server.call('POST', `/api/v1/streams/${stream.stream_id}/stop`, { as: alice });

    // The recording holds both runs, joined at a discontinuity, as sound only.
    const ended = await eventually('the recording', async () => (await statusOf(server, alice, stream.stream_id)).recording_url ?? undefined);
    const vod = await (await fetch(ended)).text();
    expect(vod).toContain('part_000_00000.ts');
    expect(vod).toContain('part_001_00000.ts');
    expect(vod).toContain('#EXT-X-DISCONTINUITY');
    const recorded = await probe(ended);
    expect(recorded.streams.map((s) => `${s.codec_type}:${s.codec_name}`)).toEqual(['audio:aac']);
  });
});
