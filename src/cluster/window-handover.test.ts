import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMediaPlaylist } from '../packager/media-playlist.js';
import { LocalSegmentStore } from '../segments/local-segment-store.js';
import { HANDOVER_HEADER } from './node.js';
import { copyLiveWindow } from './window-handover.js';

const MASTER = '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000\n360p/index.m3u8\n';
const MEDIA = [
  '#EXTM3U',
  '#EXT-X-VERSION:6',
  '#EXT-X-TARGETDURATION:2',
  '#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.500',
  '#EXT-X-PART-INF:PART-TARGET=0.500',
  '#EXT-X-MEDIA-SEQUENCE:41',
  '#EXT-X-INDEPENDENT-SEGMENTS',
  '#EXT-X-MAP:URI="init_0.mp4"',
  '#EXT-X-PROGRAM-DATE-TIME:2026-12-03T15:00:00.000Z',
  '#EXTINF:2.000,',
  'seg_41.m4s',
  '#EXT-X-PROGRAM-DATE-TIME:2026-12-03T15:00:02.000Z',
  '#EXT-X-PART:DURATION=0.500,URI="part_42_0.m4s",INDEPENDENT=YES',
  '#EXTINF:2.000,',
  'seg_42.m4s',
  '#EXT-X-PROGRAM-DATE-TIME:2026-12-03T15:00:04.000Z',
  '#EXT-X-PART:DURATION=0.500,URI="part_43_0.m4s",INDEPENDENT=YES',
  '#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part_43_1.m4s"',
  '',
].join('\n');

/** The old holder, as a plain HTTP server with one stream's window; the copy lands in a scratch data folder. */
describe('copyLiveWindow', () => {
  let holder: FastifyInstance;
  let dataDir: string;
  const asked: { path: string; handover: boolean }[] = [];
  const streamId = randomUUID();
  const files: Record<string, string> = {
    'master.m3u8': MASTER,
    '360p/index.m3u8': MEDIA,
    '360p/init_0.mp4': 'init bytes',
    '360p/seg_41.m4s': 'segment 41',
    '360p/seg_42.m4s': 'segment 42',
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'wlk-handover-'));
    holder = Fastify();
    holder.get('/hls/:id/*', async (request, reply) => {
      const file = (request.params as { '*': string })['*'];
      asked.push({ path: file, handover: request.headers[HANDOVER_HEADER] === '1' });
      const body = files[file];
      return body === undefined ? reply.code(404).send({ error: 'file_not_found' }) : reply.send(body);
    });
    await holder.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await holder?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('copies the closed segments and their init file, and a playlist without the parts this node does not have', async () => {
    const url = `http://127.0.0.1:${(holder.server.address() as { port: number }).port}`;
    const segments = new LocalSegmentStore(dataDir);
    const copied = await copyLiveWindow({ id: 'old', url }, streamId, { self: { id: 'new', url: 'http://127.0.0.1:1' }, segments });
    expect(copied).toBe(3);
    expect(asked.every((request) => request.handover)).toBe(true);
    const dir = path.join(segments.liveDir(streamId), '360p');
    expect(readFileSync(path.join(dir, 'seg_42.m4s'), 'utf8')).toBe('segment 42');
    const playlist = readFileSync(path.join(dir, 'index.m3u8'), 'utf8');
    expect(playlist).not.toMatch(/EXT-X-PART:|PRELOAD-HINT/);
    // What the packager continues from: the same sequence numbers.
    expect(parseMediaPlaylist(playlist).segments.map((segment) => [segment.msn, segment.uri])).toEqual([
      [41, 'seg_41.m4s'],
      [42, 'seg_42.m4s'],
    ]);
    expect(readFileSync(path.join(segments.liveDir(streamId), 'master.m3u8'), 'utf8')).toBe(MASTER);
  });

  it('refuses a playlist listing a file name the packager would not write', async () => {
    files['360p/index.m3u8'] = MEDIA.replace('seg_41.m4s', '../../escape.m4s');
    const url = `http://127.0.0.1:${(holder.server.address() as { port: number }).port}`;
    await expect(copyLiveWindow({ id: 'old', url }, randomUUID(), { self: { id: 'new', url: 'http://127.0.0.1:1' }, segments: new LocalSegmentStore(dataDir) })).rejects.toThrow(/would not write/);
  });
});
