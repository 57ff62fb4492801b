import { describe, expect, it } from 'vitest';
import { QueryRewriter, withQuery } from './playlist-rewrite.js';

const MASTER = '#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",URI="audio/index.m3u8"\n#EXT-X-STREAM-INF:BANDWIDTH=1\n720p/index.m3u8\n';
const MEDIA = '#EXTM3U\n#EXT-X-MAP:URI="init.mp4"\n#EXTINF:2.0,\nseg_1.m4s?x=1  \n#EXT-X-PART:DURATION=0.5,URI="part_2_0.m4s"\n#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part_2_1.m4s"\n';

describe('playlist query rewriting', () => {
  it('puts the query into every URI, in lines and in URI attributes', () => {
    expect(withQuery(MASTER, { sid: 's' })).toBe('#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",URI="audio/index.m3u8?sid=s"\n#EXT-X-STREAM-INF:BANDWIDTH=1\n720p/index.m3u8?sid=s\n');
    expect(withQuery(MEDIA, { token: 't', sid: 's' })).toBe(
      '#EXTM3U\n#EXT-X-MAP:URI="init.mp4?token=t&sid=s"\n#EXTINF:2.0,\nseg_1.m4s?x=1&token=t&sid=s\n' +
        '#EXT-X-PART:DURATION=0.5,URI="part_2_0.m4s?token=t&sid=s"\n#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part_2_1.m4s?token=t&sid=s"\n',
    );
    expect(withQuery(MEDIA, {})).toBe(MEDIA);
  });

  it('gives each viewer their own query from one cut of the playlist', () => {
    const rewriter = new QueryRewriter(2);
    for (const sid of ['a', 'b', 'c']) {
      expect(rewriter.rewrite(MEDIA, { sid })).toBe(withQuery(MEDIA, { sid }));
      expect(rewriter.rewrite(MASTER, { sid })).toBe(withQuery(MASTER, { sid }));
    }
    expect(rewriter.rewrite('#EXTM3U\nx.ts\n', { sid: 'z' })).toBe('#EXTM3U\nx.ts?sid=z\n');
  });
});
