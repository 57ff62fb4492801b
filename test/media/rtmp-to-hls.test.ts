import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_WINDOW_SEGMENTS } from '../../src/media/ffmpeg-args.js';
import { mediaPlaylistState } from '../../src/origin/blocking-reload.js';
import { TestUser } from '../../testkit/nostr.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';
import { pushTestPattern } from '../../testkit/publishers.js';
import { createStream, eventually, ffmpegsFor, ingestUrl, probe, statusOf, transcodersFor } from '../../testkit/streams.js';

const segmentsOnDisk = (dir: string) => readdirSync(dir).filter((name) => /^seg_\d+\.m4s$/.test(name));

/**
 * The whole media path with real parts: ffmpeg pushes a test pattern with a tone over
 * RTMP to the built-in ingest, our ffmpeg transcodes the ladder, the origin serves it,
 * and ffprobe reads every rendition over HTTP as a player would.
 */
describe('RTMP to HLS', () => {
  let server: TestServer;
  const alice = new TestUser();
  const publishers: ReturnType<typeof pushTestPattern>[] = [];
  let log = '';

  beforeAll(async () => {
    const logSink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        log += chunk.toString();
        done();
      },
    });
    server = await startTestServer('sqlite', { env: { RECONNECT_GRACE_SECONDS: '20' }, log: logSink });
  });
  afterEach(() => {
    for (const publisher of publishers.splice(0)) publisher.child.kill('SIGKILL');
  });
  afterAll(async () => {
    await server?.destroy();
  });

  function push(key: string, seconds: number, size?: string) {
    const publisher = pushTestPattern(ingestUrl(server, key), { seconds, ...(size && { size }) });
    publishers.push(publisher);
    return publisher;
  }

  it('takes a pushed stream to an adaptive HLS ladder, a thumbnail and a recording', { timeout: 90_000 }, async () => {
    const stream = await createStream(server, alice);
    push(stream.stream_key, 40);
    const connected = await eventually('the encoder to connect', async () => {
      const status = await statusOf(server, alice, stream.stream_id);
      return status.status === 'connected' ? status : undefined;
    });

    // Before Start the stream is not public, but its owner can preview it.
    const master = `${server.url}/hls/${stream.stream_id}/master.m3u8`;
    const preview = await eventually('the preview playlist', async () => {
      const response = await fetch(connected.preview_url ?? '');
      return response.status === 200 ? response.text() : undefined;
    });
    expect(preview).toContain('#EXT-X-STREAM-INF');
    expect((await fetch(master)).status).toBe(404);

    expect((await server.call('POST', `/api/v1/streams/${stream.stream_id}/start`, { as: alice })).status).toBe(200);
    const response = await fetch(master);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    const playlist = await response.text();
    const variants = [...playlist.matchAll(/#EXT-X-STREAM-INF:(.*)\n([^\n?]+)/g)].map((match) => ({
      attributes: match[1] ?? '',
      uri: match[2] ?? '',
    }));
    expect(variants.map((variant) => variant.uri)).toEqual([
      'source/index.m3u8',
      '720p/index.m3u8',
      '480p/index.m3u8',
      '360p/index.m3u8',
    ]);
    for (const variant of variants) {
      expect(variant.attributes).toMatch(/BANDWIDTH=\d+/);
      expect(variant.attributes).toMatch(/RESOLUTION=\d+x\d+/);
      expect(variant.attributes).toMatch(/FRAME-RATE=\d+\.\d{3}/);
      expect(variant.attributes).toMatch(/CODECS="avc1\.[0-9a-f]{6},mp4a\.40\.2"/);
    }

    const heights = { source: 720, '720p': 720, '480p': 480, '360p': 360 };
    for (const [name, height] of Object.entries(heights)) {
      const media = `${server.url}/hls/${stream.stream_id}/${name}/index.m3u8`;
      await eventually(`${name} to have two segments`, async () => {
        const text = await (await fetch(media)).text();
        return (text.match(/#EXTINF/g) ?? []).length >= 2 ? text : undefined;
      });
      const { streams } = await probe(media);
      expect(streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', height });
      expect(streams.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac', sample_rate: '48000' });
    }
    const media = await (await fetch(`${server.url}/hls/${stream.stream_id}/360p/index.m3u8`)).text();
    const durations = [...media.matchAll(/#EXTINF:([\d.]+)/g)].map((match) => Number(match[1]));
    // Keyframe-aligned 2 s segments (the last one may still be short).
    for (const duration of durations.slice(0, -1)) expect(duration).toBeCloseTo(2, 1);
    // LL-HLS: parts of at most PART-TARGET, keyframe parts marked, the next part hinted, the other renditions reported.
    const partTarget = Number(/#EXT-X-PART-INF:PART-TARGET=([\d.]+)/.exec(media)?.[1]);
    expect(partTarget).toBeGreaterThan(0.3);
    expect(partTarget).toBeLessThan(0.4);
    expect(media).toMatch(/#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=([\d.]+)/);
    expect(Number(/PART-HOLD-BACK=([\d.]+)/.exec(media)?.[1])).toBeGreaterThanOrEqual(3 * partTarget - 1e-9);
    const parts = [...media.matchAll(/#EXT-X-PART:DURATION=([\d.]+),URI="([^"]+)"(,INDEPENDENT=YES)?/g)];
    expect(parts.length).toBeGreaterThan(3);
    for (const [, duration] of parts) expect(Number(duration)).toBeLessThanOrEqual(partTarget);
    expect(parts.some((part) => part[3] !== undefined)).toBe(true);
    expect(media).toMatch(/#EXT-X-MAP:URI="init_\d+\.mp4/);
    expect(media).toMatch(/#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part_\d+_\d+\.m4s/);
    expect(media).toMatch(/#EXT-X-RENDITION-REPORT:URI="\.\.\/480p\/index\.m3u8[^"]*",LAST-MSN=\d+,LAST-PART=\d+/);

    const segment = /\n(seg_\d+\.m4s)/.exec(media)?.[1];
    const segmentResponse = await fetch(`${server.url}/hls/${stream.stream_id}/360p/${segment}`);
    expect(segmentResponse.headers.get('content-type')).toBe('video/iso.segment');
    expect(segmentResponse.headers.get('cache-control')).toContain('immutable');
    expect((await segmentResponse.arrayBuffer()).byteLength).toBeGreaterThan(0);

    const thumbnail = await eventually('the thumbnail', async () => {
      const thumb = await fetch(`${server.url}/hls/${stream.stream_id}/thumb.jpg`);
      return thumb.status === 200 ? Buffer.from(await thumb.arrayBuffer()) : undefined;
    });
    expect(thumbnail.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    // Announced once the picture exists (before it, the address would answer 404).
    await eventually('the thumbnail address', async () => (await statusOf(server, alice, stream.stream_id)).thumbnail_url ?? undefined);
    expect((await statusOf(server, alice, stream.stream_id)).thumbnail_url).toBe(`${server.url}/hls/${stream.stream_id}/thumb.jpg`);

    // The publisher sends 1280x720 H.264 at 30 fps with a keyframe every 60 frames, 1500 + 128 kbit/s, a 48 kHz tone.
    const { ingest } = await statusOf(server, alice, stream.stream_id);
    expect(ingest?.video).toMatchObject({ codec: 'h264', width: 1280, height: 720, dropped_frames: 0, late_frames: 0 });
    expect(ingest?.video?.fps).toBeGreaterThan(28);
    expect(ingest?.video?.fps).toBeLessThan(32);
    expect(ingest?.video?.keyframe_interval_seconds).toBeCloseTo(2, 1);
    expect(ingest?.bitrate_kbps).toBeGreaterThan(500);
    expect(ingest?.bitrate_kbps).toBeLessThan(4000);
    expect(ingest?.audio).toMatchObject({ codec: 'aac', sample_rate: 48_000 });
    expect(ingest?.uptime_seconds).toBeGreaterThan(5);

    // Old segments leave the disk as the live window moves on: a bounded number, the first one gone.
    const renditionDir = path.join(server.dataDir, 'hls', stream.stream_id, '360p');
    const bound = LIVE_WINDOW_SEGMENTS + 2 + 1;
    await eventually('the first segment to be deleted', async () => {
      const files = segmentsOnDisk(renditionDir);
      expect(files.length).toBeLessThanOrEqual(bound);
      return files.includes('seg_00000.m4s') ? undefined : files;
    }, 30_000);

    expect((await server.call('POST', `/api/v1/streams/${stream.stream_id}/stop`, { as: alice })).status).toBe(200);
    const ended = await eventually('the recording', async () => {
      const status = await statusOf(server, alice, stream.stream_id);
      return status.recording_url ? status : undefined;
    });
    expect(ended.status).toBe('ended');
    expect(ended.recording_url).toBe(`${server.url}/vod/${stream.stream_id}/index.m3u8`);
    const vod = await (await fetch(ended.recording_url ?? '')).text();
    expect(vod).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(vod).toContain('#EXT-X-ENDLIST');
    const recorded = await probe(ended.recording_url ?? '');
    expect(recorded.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    // A player at the live edge reloads the live playlist: it now ends, and the segments it lists still play.
    expect((await fetch(master)).status).toBe(200);
    const final = await (await fetch(`${server.url}/hls/${stream.stream_id}/360p/index.m3u8`)).text();
    expect(final.trimEnd().endsWith('#EXT-X-ENDLIST')).toBe(true);
    const listed = final.split('\n').filter((line) => line.endsWith('.m4s'));
    expect(final).not.toContain('#EXT-X-PRELOAD-HINT');
    expect(listed.length).toBeGreaterThan(0);
    for (const segment of listed) expect((await fetch(`${server.url}/hls/${stream.stream_id}/360p/${segment}`)).status, segment).toBe(200);
    expect(transcodersFor(`${server.dataDir}/hls/${stream.stream_id}`)).toEqual([]);
  });

  it('refuses a wrong, a regenerated-away and an ended stream\'s key before any media, starts no ffmpeg, and never logs the key', { timeout: 30_000 }, async () => {
    const stream = await createStream(server, alice);
    const wrongKey = `wlk_live_${'0'.repeat(32)}`;
    const wrong = push(wrongKey, 5);
    expect(await wrong.exited).not.toBe(0);
    expect(wrong.output()).not.toContain(stream.stream_key);
    expect((await statusOf(server, alice, stream.stream_id)).status).toBe('created');

    const regenerated = await server.call<{ stream_key: string }>('POST', `/api/v1/streams/${stream.stream_id}/key`, { as: alice });
    expect(regenerated.body.stream_key).not.toBe(stream.stream_key);
    expect(await push(stream.stream_key, 5).exited).not.toBe(0);
    expect((await statusOf(server, alice, stream.stream_id)).status).toBe('created');

    const ended = await createStream(server, alice);
    await server.call('POST', `/api/v1/streams/${ended.stream_id}/stop`, { as: alice });
    expect(await push(ended.stream_key, 5).exited).not.toBe(0);
    expect((await statusOf(server, alice, ended.stream_id)).status).toBe('ended');

    expect(ffmpegsFor(server.dataDir)).toEqual([]);
    expect(log.match(/RTMP publish refused/g)).toHaveLength(3);
    for (const key of [wrongKey, stream.stream_key, ended.stream_key]) {
      expect(log).not.toContain(key);
      expect(log).not.toContain(key.slice('wlk_live_'.length));
    }
  });

  it('stops the preview and clears it when the encoder leaves before Start', { timeout: 30_000 }, async () => {
    const stream = await createStream(server, alice, { quality: '360p', record: true });
    const publisher = push(stream.stream_key, 20, '640x360');
    const liveDir = path.join(server.dataDir, 'hls', stream.stream_id);
    // The multivariant playlist is written when the transcoder is ready, which also starts its thumbnailer.
    await eventually('the preview playlist', async () => (existsSync(path.join(liveDir, 'master.m3u8')) ? true : undefined));
    publisher.child.kill('SIGKILL');
    await eventually('created again', async () => ((await statusOf(server, alice, stream.stream_id)).status === 'created' ? true : undefined));
    // Nothing is left to run the thumbnailer's ffmpeg every 30 s: no transcoder, no files to capture from.
    await eventually('every ffmpeg of the stream to be gone', async () => (ffmpegsFor(liveDir).length === 0 ? true : undefined));
    await eventually('the preview files to be gone', async () => (existsSync(liveDir) ? undefined : true));
    expect(existsSync(path.join(server.dataDir, 'vod', stream.stream_id))).toBe(false);
  });

  it('continues the same stream and playlist when the encoder reconnects within the grace period', { timeout: 90_000 }, async () => {
    const stream = await createStream(server, alice, { quality: '360p', record: false });
    const first = push(stream.stream_key, 6, '640x360');
    await eventually('connected', async () => ((await statusOf(server, alice, stream.stream_id)).status === 'connected' ? true : undefined));
    await server.call('POST', `/api/v1/streams/${stream.stream_id}/start`, { as: alice });
    const playlistUrl = `${server.url}/hls/${stream.stream_id}/360p/index.m3u8`;
    await eventually('segments', async () => ((await fetch(playlistUrl)).status === 200 ? true : undefined));
    await first.exited;
    await eventually('reconnecting', async () =>
      (await statusOf(server, alice, stream.stream_id)).status === 'reconnecting' ? true : undefined,
    );
    const before = await (await fetch(playlistUrl)).text();
    // The segment being written when the encoder left may not be closed yet: count it as the last.
    const lastBefore = mediaPlaylistState(before).openMsn;

    push(stream.stream_key, 20, '640x360');
    await eventually('live again', async () => ((await statusOf(server, alice, stream.stream_id)).status === 'live' ? true : undefined));
    const after = await eventually('new segments after the reconnect', async () => {
      const text = await (await fetch(playlistUrl)).text();
      const last = Number(/seg_(\d+)\.m4s(?![\s\S]*seg_)/.exec(text)?.[1]);

      return last > lastBefore + 1 ? text : undefined;
    });
    expect(after).toContain('#EXT-X-DISCONTINUITY');
    expect((await fetch(`${server.url}/hls/${stream.stream_id}/master.m3u8`)).status).toBe(200);
    await server.call('POST', `/api/v1/streams/${stream.stream_id}/stop`, { as: alice });
  });
});
