import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalSegmentStore } from '../segments/local-segment-store.js';
import { isSatisfied, isTooFarAhead, mediaPlaylistState, parseBlockingQuery } from './blocking-reload.js';
import { PlaylistHolds } from './playlist-holds.js';

/** An LL-HLS media playlist as the packager writes it: segments 10 and 11 closed, `parts` parts of 12 so far. */
function playlist(parts: number, ended = false): string {
  const open = Array.from({ length: parts }, (_, part) => `#EXT-X-PART:DURATION=0.333,URI="seg_12.${part}.m4s"${part === 0 ? ',INDEPENDENT=YES' : ''}`);
  return [
    '#EXTM3U',
    '#EXT-X-TARGETDURATION:1',
    '#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.0',
    '#EXT-X-PART-INF:PART-TARGET=0.334',
    '#EXT-X-MEDIA-SEQUENCE:10',
    '#EXTINF:1.000,',
    'seg_10.m4s',
    '#EXTINF:1.000,',
    'seg_11.m4s',
    ...open,
    `#EXT-X-PRELOAD-HINT:TYPE=PART,URI="seg_12.${parts}.m4s"`,
    ...(ended ? ['#EXT-X-ENDLIST'] : []),
    '',
  ].join('\n');
}

describe('blocking playlist reload', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wlk-holds-'));
  const store = new LocalSegmentStore(dataDir);
  const holds = new PlaylistHolds(store);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  function write(streamId: string, text: string): void {
    const folder = path.join(store.liveDir(streamId), '360p');
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'index.m3u8.tmp'), text);
    renameSync(path.join(folder, 'index.m3u8.tmp'), path.join(folder, 'index.m3u8'));
  }
  const read = (streamId: string) => store.readText('hls', streamId, ['360p', 'index.m3u8']);

  it('reads what a request asks for and refuses what is not a number', () => {
    expect(parseBlockingQuery({})).toEqual({ ok: true, request: undefined });
    expect(parseBlockingQuery({ _HLS_msn: '12', _HLS_part: '2', sid: 'x' })).toEqual({ ok: true, request: { msn: 12, part: 2 } });
    expect(parseBlockingQuery({ _HLS_msn: '12' })).toEqual({ ok: true, request: { msn: 12, part: undefined } });
    for (const bad of [{ _HLS_msn: '-1' }, { _HLS_msn: 'x' }, { _HLS_part: '1' }, { _HLS_msn: '1', _HLS_part: '1.5' }, { _HLS_msn: ['1', '2'] }]) {
      expect(parseBlockingQuery(bad).ok, JSON.stringify(bad)).toBe(false);
    }
  });

  it('knows from the playlist text which segments and parts exist, and what is too far ahead', () => {
    const state = mediaPlaylistState(playlist(2));
    expect(state).toMatchObject({ openMsn: 12, openParts: 2, targetDurationSeconds: 1, partTargetSeconds: 0.334, ended: false, preloadHint: 'seg_12.2.m4s' });
    expect(isSatisfied(state, { msn: 11, part: undefined })).toBe(true);
    expect(isSatisfied(state, { msn: 12, part: 1 })).toBe(true);
    expect(isSatisfied(state, { msn: 12, part: 2 })).toBe(false);
    expect(isSatisfied(state, { msn: 12, part: undefined })).toBe(false);
    expect(isTooFarAhead(state, { msn: 13, part: 0 })).toBe(false);
    expect(isTooFarAhead(state, { msn: 14, part: 0 })).toBe(true);
    expect(isSatisfied(mediaPlaylistState(playlist(0, true)), { msn: 13, part: 0 })).toBe(true);
  });

  it('holds a request until the part it asks for is written, woken by the watch', async () => {
    write('s1', playlist(1));
    const asked = { msn: 12, part: 2 };
    const held = holds.until('s1', '360p', async () => {
      const text = await read('s1');
      return text !== undefined && isSatisfied(mediaPlaylistState(text), asked) ? text : undefined;
    }, 5000);
    let answered: string | undefined;
    void held.then((text) => (answered = text));
    await sleep(100);
    write('s1', playlist(2));
    await sleep(100);
    expect(answered).toBeUndefined();
    write('s1', playlist(3));
    expect(await held).toContain('seg_12.2.m4s');
  });

  it('gives up when the part never comes, within its bound', async () => {
    write('s2', playlist(1));
    const began = Date.now();
    const held = await holds.until('s2', '360p', async () => ((await read('s2'))?.includes('seg_12.5.m4s"') ? true : undefined), 300);
    expect(held).toBeUndefined();
    expect(Date.now() - began).toBeGreaterThanOrEqual(290);
  });

  it('answers a held request at once when the stream ends', async () => {
    write('s3', playlist(1));
    const asked = { msn: 13, part: 0 };
    const held = holds.until('s3', '360p', async () => {
      const text = await read('s3');
      return text !== undefined && isSatisfied(mediaPlaylistState(text), asked) ? text : undefined;
    }, 10_000);
    await sleep(50);
    write('s3', playlist(1, true));
    expect(await held).toContain('#EXT-X-ENDLIST');
  });
});
