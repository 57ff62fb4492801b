import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestUser } from './nostr.js';
import { pushTestPattern, type PublisherProcess } from './publishers.js';
import type { TestServer } from './server.js';

export interface Created {
  stream_id: string;
  stream_key: string;
}

export interface StatusBody {
  status: string;
  paused: boolean;
  status_reason?: string | null;
  preview_url?: string;
  recording_url: string | null;
  thumbnail_url?: string | null;
  whep_url?: string | null;
  ingest?: IngestBody | null;
}

/** The status's ingest health (see src/api/realtime/ingest-health-view.ts). */
export interface IngestBody {
  uptime_seconds: number;
  bitrate_kbps: number | null;
  video: {
    codec: string;
    width: number;
    height: number;
    fps: number | null;
    keyframe_interval_seconds: number | null;
    bitrate_kbps: number | null;
    dropped_frames: number;
    late_frames: number;
  } | null;
  audio: { codec: string; sample_rate: number | null; channels: number | null } | null;
}

export async function createStream(server: TestServer, user: TestUser, extra: object = {}): Promise<Created> {
  const { status, body } = await server.call<Created>('POST', '/api/v1/streams/create', {
    as: user,
    json: { title: 'Test pattern', category: 'tech', quality: '720p', record: true, ...extra },
  });
  if (status !== 201) throw new Error(`create failed: ${status} ${JSON.stringify(body)}`);
  return body;
}

export const ingestUrl = (server: TestServer, key: string) => `rtmp://127.0.0.1:${server.app.config.rtmpPort}/live/${key}`;

export async function statusOf(server: TestServer, user: TestUser, id: string): Promise<StatusBody> {
  return (await server.call<StatusBody>('GET', `/api/v1/streams/${id}/status`, { as: user })).body;
}

/**
 * Pushes a test pattern to the stream, waits for the encoder to connect and starts it: the
 * stream is live when this returns. The caller kills the returned publisher.
 */
export async function goLiveWithTestPattern(
  server: TestServer,
  user: TestUser,
  stream: Created,
  push: { seconds: number; size?: string },
): Promise<PublisherProcess> {
  const publisher = pushTestPattern(ingestUrl(server, stream.stream_key), push);
  await eventually('the encoder to connect', async () => ((await statusOf(server, user, stream.stream_id)).status === 'connected' ? true : undefined));
  const started = await server.call('POST', `/api/v1/streams/${stream.stream_id}/start`, { as: user });
  if (started.status !== 200) throw new Error(`start failed: ${started.status} ${JSON.stringify(started.body)}`);
  return publisher;
}

/** Waits, checking often, until a condition on the test's own state holds (throws after `timeoutMs`). */
export async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

/** Polls until `check` passes (returns a value) or the time is up, checking every `intervalMs` (small where the wait itself is measured). */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(intervalMs);
  }
}

export interface Probe {
  streams: { codec_type: string; codec_name: string; width?: number; height?: number; sample_rate?: string }[];
  /** With `packets`: each packet's stream type, size in bytes and duration in seconds (as strings, as ffprobe prints them). */
  packets?: { codec_type: string; size: string; duration_time?: string }[];
}

/**
 * ffprobe over HTTP, as a player would read it (asynchronously: the server runs in this process).
 * `packets` also lists every packet, for measuring what a rendition really carries.
 */
/**
 * Probes one live fMP4 segment: it decodes only after its init segment (the EXT-X-MAP before it in
 * `playlist`), so both are fetched from the rendition's folder and joined in a temporary file.
 *
 *   await probeSegment(`${hls}/360p`, playlistText, 'seg_00003.m4s');
 */
export async function probeSegment(folderUrl: string, playlist: string, segment: string, options: { packets?: boolean } = {}): Promise<Probe> {
  const before = playlist.slice(0, playlist.indexOf(`\n${segment}`));
  const map = [...before.matchAll(/#EXT-X-MAP:URI="([^"?]+)/g)].at(-1)?.[1];
  if (map === undefined) throw new Error(`no EXT-X-MAP before ${segment}`);
  const bytes = await Promise.all([map, segment].map(async (name) => Buffer.from(await (await fetch(`${folderUrl}/${name}`)).arrayBuffer())));
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'wlk-segment-')), 'segment.mp4');
  writeFileSync(file, Buffer.concat(bytes));
  try {
    return await probe(file, options);
  } finally {
    rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

export async function probe(url: string, options: { packets?: boolean } = {}): Promise<Probe> {
  const packets = options.packets ? ['-show_entries', 'packet=codec_type,size,duration_time'] : [];
  const child = spawn('ffprobe', ['-v', 'error', '-show_streams', ...packets, '-of', 'json', url], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
  child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`ffprobe ${url} failed (${code}): ${stderr}`);
  return JSON.parse(stdout) as Probe;
}

/** Every ffmpeg whose command line names this folder: transcoders and thumbnail captures alike. */
export function ffmpegsFor(dir: string): number[] {
  return pgrep('ffmpeg').filter((pid) => workingDir(pid) === path.resolve(dir) || commandLine(pid).includes(dir));
}

/** The transcoders working for this stream folder: the ladder's ffmpeg runs in it and writes fragmented MP4 to pipes. */
export function transcodersFor(dir: string): number[] {
  return pgrep('ffmpeg.*-frag_duration').filter((pid) => workingDir(pid) === path.resolve(dir));
}

function workingDir(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

function pgrep(pattern: string): number[] {
  const result = spawnSync('pgrep', ['-f', pattern], { encoding: 'utf8' });
  return result.stdout.split('\n').filter(Boolean).map(Number);
}
