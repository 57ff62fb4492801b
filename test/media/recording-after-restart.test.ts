import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { TestUser } from '../../testkit/nostr.js';
import { liveEventAt } from '../../testkit/relay-client.js';
import { freePort } from '../../testkit/server.js';
import { runningService, type RunningService } from '../../testkit/service-process.js';
import { pushTestPattern } from '../../testkit/publishers.js';
import { eventually, type Created, type StatusBody } from '../../testkit/streams.js';

/**
 * The recording of a stream that ends in a process that never ran its ffmpeg: the service is
 * SIGKILLed mid-stream and started again, and the stream ends there (its encoder never comes
 * back, or the streamer presses End right after it does). The recording is joined from the
 * parts on disk.
 */
describe('the recording after a SIGKILL and a restart', () => {
  const alice = new TestUser();
  const dataDirs: string[] = [];
  const children: { child: { kill(signal: NodeJS.Signals): boolean } }[] = [];

  afterEach(() => {
    for (const { child } of children.splice(0)) child.kill('SIGKILL');
  });
  afterAll(() => {
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  /** A service on fixed ports over one data folder, so that it can be killed and started again. */
  async function serviceFolder() {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'wlk-restart-'));
    dataDirs.push(dataDir);
    const port = String(await freePort());
    const rtmpPort = String(await freePort());
    return {
      dataDir,
      rtmp: `rtmp://127.0.0.1:${rtmpPort}/live`,
      start: async (graceSeconds: number) => {
        const service = await runningService(dataDir, {
          PORT: port,
          RTMP_PORT: rtmpPort,
          PUBLIC_URL: `http://127.0.0.1:${port}`,
          RECONNECT_GRACE_SECONDS: String(graceSeconds),
        });
        children.push(service);
        return service;
      },
    };
  }

  async function call<Body>(service: RunningService, method: string, route: string, json?: object): Promise<{ status: number; body: Body }> {
    const url = `${service.url}${route}`;
    const response = await fetch(url, {
      method,
      headers: { authorization: await alice.authHeader(url, method, json), ...(json && { 'content-type': 'application/json' }) },
      ...(json && { body: JSON.stringify(json) }),
    });
    return { status: response.status, body: (await response.json()) as Body };
  }

  const status = async (service: RunningService, id: string) => (await call<StatusBody>(service, 'GET', `/api/v1/streams/${id}/status`)).body;

  /** Live, with a few seconds recorded, then the service and the encoder are killed. */
  async function liveThenKilled(folder: Awaited<ReturnType<typeof serviceFolder>>): Promise<Created> {
    const first = await folder.start(60);
    const created = await call<Created>(first, 'POST', '/api/v1/streams/create', {
      title: 'Killed mid-stream',
      category: 'tech',
      quality: '360p',
      record: true,
    });
    expect(created.status).toBe(201);
    const stream = created.body;
    const publisher = pushTestPattern(`${folder.rtmp}/${stream.stream_key}`, { seconds: 120, size: '640x360' });
    children.push(publisher);
    await eventually('the encoder', async () => ((await status(first, stream.stream_id)).status === 'connected' ? true : undefined));
    expect((await call(first, 'POST', `/api/v1/streams/${stream.stream_id}/start`)).status).toBe(200);
    const part = path.join(folder.dataDir, 'vod', stream.stream_id, 'part_000.m3u8');
    await eventually('two recorded segments', async () => (readFileSync(part, 'utf8').includes('part_000_00001.ts') ? true : undefined), 40_000);
    first.child.kill('SIGKILL');
    await first.exited;
    publisher.child.kill('SIGKILL');
    return stream;
  }

  /** The recording is announced in the status and the final 30311, ends, and every segment it lists plays. */
  async function expectRecording(service: RunningService, streamId: string): Promise<string> {
    const ended = await eventually('the recording', async () => {
      const body = await status(service, streamId);
      return body.status === 'ended' && body.recording_url ? body : undefined;
    }, 30_000);
    const vodUrl = `${service.url}/vod/${streamId}/index.m3u8`;
    expect(ended.recording_url).toBe(vodUrl);
    const vod = await (await fetch(vodUrl)).text();
    expect(vod).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(vod.trimEnd().endsWith('#EXT-X-ENDLIST')).toBe(true);
    const segments = vod.split('\n').filter((line) => line.endsWith('.ts'));
    expect(segments).toContain('part_000_00001.ts');
    for (const segment of segments) expect((await fetch(`${service.url}/vod/${streamId}/${segment}`)).status, segment).toBe(200);
    const event = await eventually('the final 30311 with the recording', async () => {
      const found = await liveEventAt(`${service.url.replace('http:', 'ws:')}/`, streamId);
      return found?.status === 'ended' && found.recording ? found : undefined;
    });
    expect(event.recording).toBe(vodUrl);
    return vod;
  }

  it('keeps the recording of a stream whose encoder never comes back', { timeout: 120_000 }, async () => {
    const folder = await serviceFolder();
    const stream = await liveThenKilled(folder);
    const second = await folder.start(2);
    await expectRecording(second, stream.stream_id);
    expect((await status(second, stream.stream_id)).status_reason).toMatch(/did not reconnect/);
  });

  it('keeps the recording when End is pressed right after the encoder reconnects', { timeout: 120_000 }, async () => {
    const folder = await serviceFolder();
    const stream = await liveThenKilled(folder);
    const second = await folder.start(60);
    await eventually('the wait for the encoder', async () => ((await status(second, stream.stream_id)).status === 'reconnecting' ? true : undefined));
    children.push(pushTestPattern(`${folder.rtmp}/${stream.stream_key}`, { seconds: 60, size: '640x360' }));
    await eventually('the reconnect', async () => ((await status(second, stream.stream_id)).status === 'live' ? true : undefined));
    expect((await call(second, 'POST', `/api/v1/streams/${stream.stream_id}/stop`)).status).toBe(200);
    await expectRecording(second, stream.stream_id);
  });
});
