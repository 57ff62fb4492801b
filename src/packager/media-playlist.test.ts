import { describe, expect, it } from 'vitest';
import { isSatisfied, mediaPlaylistState } from '../origin/blocking-reload.js';
import { isWholePlaylist } from '../origin/playlist-reader.js';
import { withEndList } from '../origin/playlist-rewrite.js';
import { parseMediaPlaylist, renderMediaPlaylist, type Segment } from './media-playlist.js';

const at = (seconds: number) => new Date(Date.UTC(2026, 11, 2, 12, 0, seconds));
const segment = (msn: number, extra: Partial<Segment> = {}): Segment => ({
  msn, uri: `seg_${String(msn).padStart(5, '0')}.m4s`, durationSeconds: 2, mapUri: 'init_0.mp4', discontinuity: false, programDateTime: at(msn * 2), parts: [], ...extra,
});

describe('the LL-HLS media playlist', () => {
  const text = renderMediaPlaylist({
    targetDurationSeconds: 2,
    partTargetSeconds: 0.344,
    segments: [segment(4), segment(5, { discontinuity: true, mapUri: 'init_5.mp4', parts: [{ uri: 'part_5_0.m4s', durationSeconds: 0.3333, independent: true }] })],
    discontinuitySequence: 1,
    open: { msn: 6, mapUri: 'init_5.mp4', discontinuity: false, programDateTime: at(12), parts: [{ uri: 'part_5_6.m4s', durationSeconds: 0.3, independent: true }] },
    nextPartUri: 'part_5_7.m4s',
    reports: [{ uri: '../480p/index.m3u8', lastMsn: 6, lastPart: 0 }],
  });

  it('writes the server control, part and hint tags players need, durations rounded up', () => {
    expect(text).toContain('#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.032\n#EXT-X-PART-INF:PART-TARGET=0.344\n#EXT-X-MEDIA-SEQUENCE:4\n#EXT-X-DISCONTINUITY-SEQUENCE:1');
    expect(text).toContain('#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI="init_5.mp4"\n#EXT-X-PROGRAM-DATE-TIME:2026-12-02T12:00:10.000Z\n#EXT-X-PART:DURATION=0.334,URI="part_5_0.m4s",INDEPENDENT=YES');
    expect(text).toContain('#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part_5_7.m4s"\n#EXT-X-RENDITION-REPORT:URI="../480p/index.m3u8",LAST-MSN=6,LAST-PART=0\n');
    expect(isWholePlaylist(text)).toBe(true);
  });

  it('is what the origin\'s blocking reload reads: segment 6 open with one part', () => {
    const state = mediaPlaylistState(text);
    expect(state).toMatchObject({ openMsn: 6, openParts: 1, partTargetSeconds: 0.344, preloadHint: 'part_5_7.m4s', ended: false });
    expect(isSatisfied(state, { msn: 6, part: 0 })).toBe(true);
    expect(isSatisfied(state, { msn: 6, part: 1 })).toBe(false);
  });

  it('reads back its closed segments for a restarted process, and ends without a hint', () => {
    const parsed = parseMediaPlaylist(text);
    expect(parsed.discontinuitySequence).toBe(1);
    expect(parsed.segments.map(({ msn, uri, mapUri, discontinuity }) => ({ msn, uri, mapUri, discontinuity }))).toEqual([
      { msn: 4, uri: 'seg_00004.m4s', mapUri: 'init_0.mp4', discontinuity: false },
      { msn: 5, uri: 'seg_00005.m4s', mapUri: 'init_5.mp4', discontinuity: true },
    ]);
    expect(parsed.segments[1]?.programDateTime.toISOString()).toBe('2026-12-02T12:00:10.000Z');
    const ended = withEndList(text);
    expect(ended).not.toContain('PRELOAD-HINT');
    expect(ended.endsWith('#EXT-X-ENDLIST\n')).toBe(true);
  });

  it('counts a playlist of a first segment\'s parts alone as whole: a stream is playable from its first part', () => {
    const first = renderMediaPlaylist({
      targetDurationSeconds: 2, partTargetSeconds: 0.344, segments: [], discontinuitySequence: 0,
      open: { msn: 0, mapUri: 'init_0.mp4', discontinuity: false, programDateTime: at(0), parts: [{ uri: 'part_0_0.m4s', durationSeconds: 0.33, independent: true }] },
      nextPartUri: 'part_0_1.m4s', reports: [],
    });
    expect(isWholePlaylist(first)).toBe(true);
    expect(mediaPlaylistState(first)).toMatchObject({ openMsn: 0, openParts: 1 });
  });
});
