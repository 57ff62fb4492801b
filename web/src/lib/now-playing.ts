import { useEffect, useRef, useState } from 'react';
import type { TrackView } from '../../../src/protocol/api-views';
import type { LiveEvent } from '../../../src/protocol/live-event';
import { unixNow } from '../../../src/protocol/time';

/** A line the chat shows between messages that nobody wrote (a track change). */
export interface ChatNotice {
  readonly id: string;
  /** Unix seconds when the page saw it, to sit among the messages in time order. */
  readonly at: number;
  readonly text: string;
}

/** "Title — Artist", or the title alone when the streamer named no artist. */
export const trackLine = (track: TrackView): string => (track.artist ? `${track.title} — ${track.artist}` : track.title);

/**
 * The track a 30311 names (our `now_playing` tag), for streams the API does not describe
 * (another service's); undefined until the event is here. It carries no start time (0), so a
 * track played twice in a row counts as one.
 */
export function trackOfEvent(event: LiveEvent | undefined): TrackView | null | undefined {
  if (!event) return undefined;
  const playing = event.nowPlaying;
  return playing ? { title: playing.title, artist: playing.artist, link: playing.link ?? null, started_at: 0 } : null;
}

const keyOf = (track: TrackView | null): string | null => (track ? `${track.started_at}\n${track.title}\n${track.artist}` : null);

/**
 * The track playing now (the feed's latest announcement, else the stream's answer) and a
 * chat notice for each change seen while the page is open; the track already playing when
 * the page opened gets none.
 *
 *   const { track, notices } = useNowPlaying(api.data?.now_playing, feed.track);
 */
export function useNowPlaying(
  answered: TrackView | null | undefined,
  announced: TrackView | null | undefined,
): { track: TrackView | null; notices: readonly ChatNotice[] } {
  const known = announced !== undefined || answered !== undefined;
  const track = announced !== undefined ? announced : (answered ?? null);
  const key = keyOf(track);
  const [notices, setNotices] = useState<ChatNotice[]>([]);
  // The track last seen; undefined until either source has spoken.
  const seen = useRef<string | null | undefined>(undefined);

  // Keyed on the track's identity, not the object: each feed message brings a new object.
  useEffect(() => {
    if (!known) return;
    const previous = seen.current;
    seen.current = key;
    if (previous === undefined || previous === key || !track || key === null) return;
    setNotices((list) => [...list, { id: String(list.length), at: unixNow(), text: `Now playing: ${trackLine(track)}` }]);
  }, [known, key]);

  return { track, notices };
}
