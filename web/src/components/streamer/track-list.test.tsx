import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { TrackList } from './track-list';

const start = 1_700_000_000;
const track = (offset: number, title: string, extra: { artist?: string; link?: string } = {}) => ({
  title,
  artist: extra.artist ?? '',
  link: extra.link ?? null,
  startedAt: start + offset,
});

describe('TrackList', () => {
  it('shows each track at its offset into the stream as H:MM:SS, with its artist and link', () => {
    const html = renderToStaticMarkup(
      <TrackList
        start={start}
        empty="none"
        tracks={[track(-40, 'Soundcheck'), track(750, 'Night Drive', { artist: 'The Band', link: 'https://wavlake.com/track/1' }), track(3725, 'Encore')]}
      />,
    );
    const times = [...html.matchAll(/<time[^>]*>([^<]*)<\/time>/g)].map((match) => match[1]);
    // Set before the stream went live: it counts from the start, never a negative time.
    expect(times).toEqual(['0:00:00', '0:12:30', '1:02:05']);
    expect(html).toContain('The Band');
    expect(html).toContain('href="https://wavlake.com/track/1" target="_blank" rel="noopener noreferrer nofollow"');
  });

  it('counts from the first track before the stream has started, and says when there are none', () => {
    const html = renderToStaticMarkup(<TrackList start={null} empty="none" tracks={[track(10, 'One'), track(70, 'Two')]} />);
    expect([...html.matchAll(/<time[^>]*>([^<]*)<\/time>/g)].map((match) => match[1])).toEqual(['0:00:00', '0:01:00']);
    expect(renderToStaticMarkup(<TrackList start={start} empty="No tracks were set." tracks={[]} />)).toContain('No tracks were set.');
  });
});
