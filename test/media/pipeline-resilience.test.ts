import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TestUser } from '../../testkit/nostr.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';
import { pushTestPattern } from '../../testkit/publishers.js';
import { createStream, eventually, ingestUrl, probe, probeSegment, statusOf, transcodersFor } from '../../testkit/streams.js';

const lastSegment = (playlist: string) => Number(/seg_(\d+)\.m4s(?![\s\S]*seg_)/.exec(playlist)?.[1] ?? -1);
const discontinuities = (playlist: string) => (playlist.match(/#EXT-X-DISCONTINUITY\n/g) ?? []).length;

/** GStreamer as the second, independent publisher, in real time. */
function pushWithGstreamer(url: string, seconds: number) {
  const frames = seconds * 30;
  const pipeline = [
    `videotestsrc is-live=true num-buffers=${frames} ! video/x-raw,format=I420,width=640,height=360,framerate=30/1`,
    '! x264enc tune=zerolatency key-int-max=60 speed-preset=ultrafast ! h264parse ! flvmux name=mux streamable=true',
    `! rtmp2sink location=${url}`,
    `audiotestsrc is-live=true num-buffers=${Math.ceil((seconds * 48_000) / 1024)} ! audio/x-raw,rate=48000`,
    '! audioconvert ! voaacenc ! aacparse ! mux.',
  ].join(' ');
  const child = spawn('gst-launch-1.0', ['-q', ...pipeline.split(' ')], { stdio: 'ignore' });
  return { child, exited: new Promise<number | null>((resolve) => child.once('close', resolve)) };
}

/** The pipeline when things go differently: GStreamer as publisher, pause, a crashing and a broken ffmpeg. */
describe('media pipeline resilience', () => {
  let server: TestServer;
  const alice = new TestUser();
  const children: { child: { kill(signal: NodeJS.Signals): boolean } }[] = [];

  beforeAll(async () => {
    server = await startTestServer('sqlite');
  });
  afterEach(() => {
    for (const { child } of children.splice(0)) child.kill('SIGKILL');
  });
  afterAll(async () => {
    await server?.destroy();
  });

  async function liveStream(quality = '360p') {
    const stream = await createStream(server, alice, { quality, record: false });
    return stream;
  }
  async function goLive(id: string) {
    await eventually('connected', async () => ((await statusOf(server, alice, id)).status === 'connected' ? true : undefined));
    expect((await server.call('POST', `/api/v1/streams/${id}/start`, { as: alice })).status).toBe(200);
  }
  const playlist = async (id: string, rendition: string) =>
    (await fetch(`${server.url}/hls/${id}/${rendition}/index.m3u8`)).text();

  it('takes a GStreamer publish to HLS', { timeout: 60_000 }, async () => {
    const stream = await liveStream();
    children.push(pushWithGstreamer(ingestUrl(server, stream.stream_key), 15));
    await goLive(stream.stream_id);
    const master = await eventually('the multivariant playlist', async () => {
      const response = await fetch(`${server.url}/hls/${stream.stream_id}/master.m3u8`);
      return response.status === 200 ? response.text() : undefined;
    });
    expect(master).toMatch(/RESOLUTION=640x360/);
    expect(master).toContain('source/index.m3u8');
    expect(master).toContain('360p/index.m3u8');
    await eventually('two segments', async () => ((await playlist(stream.stream_id, 'source')).includes('seg_00001.m4s') ? true : undefined));
    const { streams } = await probe(`${server.url}/hls/${stream.stream_id}/source/index.m3u8`);
    expect(streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    expect(streams.find((s) => s.codec_type === 'video')).toMatchObject({ width: 640, height: 360 });
    expect((await server.call('POST', `/api/v1/streams/${stream.stream_id}/stop`, { as: alice })).status).toBe(200);
    await eventually('ended', async () => ((await statusOf(server, alice, stream.stream_id)).status === 'ended' ? true : undefined));
    await eventually('the transcoder to stop', async () =>
      transcodersFor(`${server.dataDir}/hls/${stream.stream_id}`).length === 0 ? true : undefined,
    );
  });

  it('shows a slate while paused, keeps the playlist advancing, and goes back to the picture on resume', { timeout: 90_000 }, async () => {
    const stream = await liveStream();
    children.push(pushTestPattern(ingestUrl(server, stream.stream_key), { seconds: 60, size: '640x360' }));
    await goLive(stream.stream_id);
    await eventually('segments', async () => ((await playlist(stream.stream_id, '360p')).includes('seg_00001.m4s') ? true : undefined));

    await server.call('POST', `/api/v1/streams/${stream.stream_id}/pause`, { as: alice });
    const atPause = lastSegment(await playlist(stream.stream_id, '360p'));
    const paused = await eventually('slate segments', async () => {
      const text = await playlist(stream.stream_id, '360p');
      return lastSegment(text) >= atPause + 2 && discontinuities(text) >= 1 ? text : undefined;
    });
    expect(discontinuities(paused)).toBeGreaterThanOrEqual(1);
    expect((await statusOf(server, alice, stream.stream_id))).toMatchObject({ status: 'live', paused: true });
    const slate = await probeSegment(`${server.url}/hls/${stream.stream_id}/360p`, paused, `seg_${String(lastSegment(paused)).padStart(5, '0')}.m4s`);
    expect(slate.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);

    await server.call('POST', `/api/v1/streams/${stream.stream_id}/resume`, { as: alice });
    const atResume = lastSegment(await playlist(stream.stream_id, '360p'));
    await eventually('picture segments after resume', async () => {
      const text = await playlist(stream.stream_id, '360p');
      return lastSegment(text) >= atResume + 2 ? text : undefined;
    });
    await server.call('POST', `/api/v1/streams/${stream.stream_id}/stop`, { as: alice });
  });

  it('keeps the recording from before a pause when the stream ends just after the resume', { timeout: 90_000 }, async () => {
    const stream = await createStream(server, alice, { quality: '360p', record: true });
    children.push(pushTestPattern(ingestUrl(server, stream.stream_key), { seconds: 60, size: '640x360' }));
    await goLive(stream.stream_id);
    await eventually('recorded segments', async () => ((await playlist(stream.stream_id, '360p')).includes('seg_00004.m4s') ? true : undefined));
    await server.call('POST', `/api/v1/streams/${stream.stream_id}/pause`, { as: alice });
    await sleep(2000);
    await server.call('POST', `/api/v1/streams/${stream.stream_id}/resume`, { as: alice });
    // Ended while the resumed ffmpeg is still starting: the case that used to lose the recording.
    await sleep(1000);
    await server.call('POST', `/api/v1/streams/${stream.stream_id}/stop`, { as: alice });

    const ended = await eventually('the recording', async () => {
      const status = await statusOf(server, alice, stream.stream_id);
      return status.recording_url ? status : undefined;
    });
    const vod = await (await fetch(ended.recording_url ?? '')).text();
    const seconds = [...vod.matchAll(/#EXTINF:([\d.]+)/g)].reduce((sum, match) => sum + Number(match[1]), 0);
    // At least four 2 s live segments were out before the pause; all of it is in the recording.
    expect(seconds).toBeGreaterThanOrEqual(8);
    expect(vod).toContain('part_000_00000.ts');
    expect(vod).toContain('#EXT-X-ENDLIST');
  });

  it('restarts a transcoder that dies and keeps the same playlist going', { timeout: 90_000 }, async () => {
    const stream = await liveStream();
    children.push(pushTestPattern(ingestUrl(server, stream.stream_key), { seconds: 60, size: '640x360' }));
    await goLive(stream.stream_id);
    await eventually('segments', async () => ((await playlist(stream.stream_id, '360p')).includes('seg_00001.m4s') ? true : undefined));
    const [pid] = transcodersFor(`${server.dataDir}/hls/${stream.stream_id}`);
    expect(pid).toBeDefined();
    process.kill(pid ?? 0, 'SIGKILL');
    const before = lastSegment(await playlist(stream.stream_id, '360p'));

    await eventually('a new transcoder', async () => {
      const [next] = transcodersFor(`${server.dataDir}/hls/${stream.stream_id}`);
      return next !== undefined && next !== pid ? next : undefined;
    });
    await eventually('new segments in the same playlist', async () =>
      lastSegment(await playlist(stream.stream_id, '360p')) >= before + 2 ? true : undefined,
    );
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(Number(/^wavlake_transcoder_restarts_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
    expect((await statusOf(server, alice, stream.stream_id)).status).toBe('live');
    await server.call('POST', `/api/v1/streams/${stream.stream_id}/stop`, { as: alice });
  });

  it('puts the stream in error with a reason its owner can read when ffmpeg keeps failing', { timeout: 60_000 }, async () => {
    const broken = await startTestServer('sqlite', { env: { FFMPEG_PATH: '/bin/false' } });
    try {
      const stream = await createStream(broken, alice, { quality: '360p' });
      children.push(pushTestPattern(ingestUrl(broken, stream.stream_key), { seconds: 30, size: '640x360' }));
      const failed = await eventually('the error status', async () => {
        const status = await statusOf(broken, alice, stream.stream_id);
        return status.status === 'error' ? status : undefined;
      });
      expect(failed.status_reason).toMatch(/transcoder failed \d+ times/);
    } finally {
      await broken.destroy();
    }
  });
});
