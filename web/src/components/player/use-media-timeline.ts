import { useEffect, useState, type RefObject } from 'react';

export interface MediaTimeline {
  readonly currentTime: number;
  /** NaN until the media's length is known. */
  readonly duration: number;
  readonly rate: number;
  seek(to: number): void;
  setRate(rate: number): void;
}

/**
 * Where a media element is, how long it is and how fast it plays, followed through its own
 * events (a recording's seek bar and speed menu read it; the element stays the one truth).
 *
 *   const timeline = useMediaTimeline(video);
 *   <SeekBar timeline={timeline} />
 */
export function useMediaTimeline(media: RefObject<HTMLMediaElement>): MediaTimeline {
  const [currentTime, setCurrentTime] = useState(0);
  const [duration, setDuration] = useState(Number.NaN);
  const [rate, setRateState] = useState(1);

  useEffect(() => {
    const element = media.current;
    if (!element) return;
    const onTime = () => setCurrentTime(element.currentTime);
    const onDuration = () => setDuration(element.duration);
    const onRate = () => setRateState(element.playbackRate);
    const events: [string, () => void][] = [
      ['timeupdate', onTime],
      ['seeking', onTime],
      ['durationchange', onDuration],
      ['loadedmetadata', onDuration],
      ['ratechange', onRate],
    ];
    for (const [name, listener] of events) element.addEventListener(name, listener);
    onTime();
    onDuration();
    onRate();
    return () => {
      for (const [name, listener] of events) element.removeEventListener(name, listener);
    };
  }, [media]);

  return {
    currentTime,
    duration,
    rate,
    seek: (to) => {
      const element = media.current;
      if (!element) return;
      element.currentTime = to;
      // Shown at once, not a timeupdate later: held keys and the slider's drag would otherwise lag a step behind.
      setCurrentTime(to);
    },
    setRate: (next) => {
      if (media.current) media.current.playbackRate = next;
    },
  };
}
