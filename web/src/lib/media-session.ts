import { useEffect, useRef } from 'react';

export interface NowShowing {
  readonly title: string;
  readonly artist: string;
  readonly album: string;
  /** The cover's URL; none leaves the lock screen to the browser's default. */
  readonly artwork: string | undefined;
}

/**
 * Tells the OS what is playing (Media Session API): the lock screen and notification show
 * title, artist and artwork, and their play/pause buttons drive the player. Cleared when
 * the player goes.
 *
 *   useMediaSession({ title, artist, album, artwork }, { playing, play, pause });
 */
export function useMediaSession(showing: NowShowing, controls: { playing: boolean; play(): void; pause(): void }): void {
  const latest = useRef(controls);
  latest.current = controls;
  const { title, artist, album, artwork } = showing;

  useEffect(() => {
    if (!('mediaSession' in navigator)) return;
    navigator.mediaSession.metadata = new MediaMetadata({ title, artist, album, artwork: artwork ? [{ src: artwork }] : [] });
  }, [title, artist, album, artwork]);

  useEffect(() => {
    if (!('mediaSession' in navigator)) return;
    navigator.mediaSession.playbackState = controls.playing ? 'playing' : 'paused';
  }, [controls.playing]);

  useEffect(() => {
    if (!('mediaSession' in navigator)) return;
    const session = navigator.mediaSession;
    session.setActionHandler('play', () => latest.current.play());
    session.setActionHandler('pause', () => latest.current.pause());
    session.setActionHandler('stop', () => latest.current.pause());
    return () => {
      for (const action of ['play', 'pause', 'stop'] as const) session.setActionHandler(action, null);
      session.metadata = null;
      session.playbackState = 'none';
    };
  }, []);
}
