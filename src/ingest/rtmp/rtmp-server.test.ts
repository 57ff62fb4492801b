import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  captureLogs,
  installed,
  probeStreams,
  publishWithGstreamer,
  pushTestPattern,
  stopPublishers,
} from '../../../testkit/publishers.js';
import { waitUntil } from '../../../testkit/streams.js';
import type { IngestStatsSnapshot } from '../ingest-stats.js';
import { Publishers } from '../../live/publishers.js';
import { RtmpServer, type PublishSession, type UnpublishReason } from './rtmp-server.js';

const KEY = `wlk_live_${'5e'.repeat(16)}`;
const WRONG_KEY = `wlk_live_${'ba'.repeat(16)}`;

interface Ingest {
  readonly server: RtmpServer;
  /** Who publishes to which stream, as the service records it. */
  readonly live: Publishers;
  readonly logs: ReturnType<typeof captureLogs>;
  readonly published: PublishSession[];
  /** With the stats as they stood when the publish ended. */
  readonly unpublished: { reason: UnpublishReason; stats: IngestStatsSnapshot }[];
  url(key: string): string;
  /** Where a publish's FLV was written, once it is all written. */
  savedFlv(session: PublishSession): Promise<string>;
}

let ingest: Ingest | null = null;
let folder = '';

async function startIngest(): Promise<Ingest> {
  const logs = captureLogs();
  const published: PublishSession[] = [];
  const unpublished: Ingest['unpublished'] = [];
  const saved = new Map<PublishSession, Promise<string>>();
  const live = new Publishers();
  const server = new RtmpServer({
    logger: logs.logger,
    authorize: async (key) => (key === KEY ? { ok: true, streamId: 'stream-1' } : { ok: false, reason: 'unknown stream key' }),
    publish: (session) => {
      if (!live.claim(session)) return false;
      const file = path.join(folder, `publish-${published.length}.flv`);
      const out = createWriteStream(file);
      session.flv.pipe(out);
      saved.set(session, finished(out).then(() => file));
      published.push(session);
      return true;
    },
    unpublish: (session, reason) => {
      live.release(session);
      unpublished.push({ reason, stats: session.stats() });
    },
  });
  const { port } = await server.listen(0, '127.0.0.1');
  ingest = {
    server, live, logs, published, unpublished,
    url: (key) => `rtmp://127.0.0.1:${port}/live/${key}`,
    savedFlv: (session) => saved.get(session) ?? Promise.reject(new Error('that session was not published')),
  };
  return ingest;
}

/** What every accepted publish of the 640x360 test pattern must show. */
async function expectTestPattern(current: Ingest): Promise<IngestStatsSnapshot> {
  await waitUntil(() => current.unpublished.length === 1);
  expect(current.published.map((session) => session.streamId)).toEqual(['stream-1']);
  expect(current.unpublished[0]?.reason).toBe('unpublished');

  const streams = probeStreams(await current.savedFlv(current.published[0] as PublishSession));
  expect(streams.map((stream) => stream.codec_type).sort()).toEqual(['audio', 'video']);
  expect(streams).toContainEqual(expect.objectContaining({ codec_type: 'video', codec_name: 'h264', width: 640, height: 360 }));
  expect(streams).toContainEqual(expect.objectContaining({ codec_type: 'audio', codec_name: 'aac', sample_rate: '48000' }));

  const stats = current.unpublished[0]?.stats as IngestStatsSnapshot;
  expect(stats.video).toMatchObject({ codec: 'h264', width: 640, height: 360, lateFrames: 0 });
  expect(stats.video?.fps).toBeCloseTo(30, 0);
  expect(stats.video?.frames).toBe(120);
  expect(stats.video?.bitrateKbps).toBeGreaterThan(50);
  expect(stats.video?.bitrateKbps).toBeLessThan(20_000);
  expect(stats.audio).toMatchObject({ codec: 'aac', profile: 'LC', sampleRate: 48000 });
  expect(stats.audio?.bitrateKbps).toBeGreaterThan(8);
  expect(stats.uptimeSeconds).toBeGreaterThan(0);

  const logged = current.logs.text();
  expect(logged).toContain('rtmp publish started');
  expect(logged).not.toContain(KEY);
  return stats;
}

describe('RTMP ingest with real publishers', () => {
  beforeAll(() => {
    const missing = [
      ['ffmpeg', installed('ffmpeg')],
      ['ffprobe', installed('ffprobe')],
      ['gst-launch-1.0', installed('gst-launch-1.0', '--version')],
    ].filter(([, ok]) => !ok);
    if (missing.length > 0) {
      throw new Error(
        `${missing.map(([name]) => name).join(', ')} not installed: apt-get install -y --no-install-recommends ffmpeg ` +
          'gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly',
      );
    }
  });

  afterEach(async () => {
    stopPublishers();
    await ingest?.server.close();
    ingest = null;
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  const fresh = async (): Promise<Ingest> => {
    folder = mkdtempSync(path.join(tmpdir(), 'wavlake-rtmp-'));
    return startIngest();
  };

  it('takes ffmpeg’s publish: FLV with H.264 640x360 and AAC, and sensible stats', async () => {
    const current = await fresh();
    const ffmpeg = pushTestPattern(current.url(KEY), { seconds: 4, size: '640x360' });
    expect(await ffmpeg.exited, ffmpeg.output()).toBe(0);
    const stats = await expectTestPattern(current);
    expect(stats.video?.keyframeIntervalSeconds).toBe(2); // -g 60 at 30 fps
    expect(stats.encoder).toMatch(/^Lavf/);
  });

  it('takes GStreamer’s (rtmp2sink) publish: FLV with H.264 640x360 and AAC, and sensible stats', async () => {
    const current = await fresh();
    const gstreamer = publishWithGstreamer(current.url(KEY));
    expect(await gstreamer.exited, gstreamer.output()).toBe(0);
    const stats = await expectTestPattern(current);
    // key-int-max=60 is a ceiling: x264 also starts a GOP on scene cuts.
    expect(stats.video?.keyframeIntervalSeconds).toBeGreaterThan(0);
    expect(stats.video?.keyframeIntervalSeconds).toBeLessThanOrEqual(2);
    expect(stats.encoder).toMatch(/GStreamer/);
  });

  it('refuses a wrong key: ffmpeg and GStreamer exit with an error, nothing is published, the key is not logged', async () => {
    const current = await fresh();
    const ffmpeg = pushTestPattern(current.url(WRONG_KEY), { seconds: 4, size: '640x360' });
    const ffmpegCode = await ffmpeg.exited;
    expect(ffmpegCode, ffmpeg.output()).not.toBe(0);
    expect(ffmpeg.output()).toContain('unknown stream key'); // the encoder shows the reason
    const gstreamer = publishWithGstreamer(current.url(WRONG_KEY));
    expect(await gstreamer.exited, gstreamer.output()).not.toBe(0);

    expect(current.published).toEqual([]);
    const logged = current.logs.text();
    expect(logged).toContain('rtmp publish refused');
    expect(logged).toContain('wlk_live_…');
    expect(logged).not.toContain(WRONG_KEY);
  });

  it('refuses a second publisher of the same key while the first is live', async () => {
    const current = await fresh();
    const first = pushTestPattern(current.url(KEY), { seconds: 10, size: '640x360' });
    await waitUntil(() => current.published.length === 1, 8000);

    const second = pushTestPattern(current.url(KEY), { seconds: 2, size: '640x360' });
    expect(await second.exited, second.output()).not.toBe(0);
    expect(second.output()).toContain('already publishing');
    expect(current.live.all()).toEqual(current.published);
    expect(current.unpublished).toEqual([]);

    first.child.kill('SIGKILL');
    await waitUntil(() => current.unpublished.length === 1);
    expect(current.unpublished[0]?.reason).toBe('disconnected');
    expect(current.logs.text()).not.toContain(KEY);
  });
});
