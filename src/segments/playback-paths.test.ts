import { describe, expect, it } from 'vitest';
import { playbackPaths, thumbnailBeside } from './playback-paths.js';

describe('playback paths', () => {
  it('spells the public paths of a stream: multivariant playlist and recording', () => {
    expect(playbackPaths.master('s1')).toBe('/hls/s1/master.m3u8');
    expect(playbackPaths.recording('s1')).toBe('/vod/s1/index.m3u8');
  });

  it('puts the thumbnail beside the stored playback URL, on the host that URL was made under', () => {
    expect(thumbnailBeside(`https://old.example${playbackPaths.master('s1')}`)).toBe('https://old.example/hls/s1/thumb.jpg');
  });
});
