import Hls from 'hls.js';
import { useEffect, useRef, type RefObject } from 'react';

/**
 * Brings a live player back by itself after the streamer's encoder dropped and reconnected.
 * While `reconnecting` the playlist stops growing: the element waits on its last frame and
 * hls.js keeps asking. When it turns false, a player that is still stuck (nothing buffered
 * ahead, or loading given up after errors) reloads from the live edge and plays on; one that
 * already picked up the new segments after the discontinuity is left alone.
 *
 *   useReconnectRecovery(media, hls, reconnecting);
 */
export function useReconnectRecovery(media: RefObject<HTMLMediaElement>, hls: RefObject<Hls | undefined>, reconnecting: boolean): void {
  const was = useRef(reconnecting);
  useEffect(() => {
    const before = was.current;
    was.current = reconnecting;
    const element = media.current;
    const instance = hls.current;
    if (!before || reconnecting || !element) return;
    if (!instance) {
      // Native HLS (Safari) keeps its own reloading: a nudge to play is all it takes.
      void element.play().catch(() => undefined);
      return;
    }
    const stuck = element.error !== null || element.readyState < HTMLMediaElement.HAVE_FUTURE_DATA || !instance.loadingEnabled;
    if (!stuck) return;
    if (element.error) instance.recoverMediaError();
    instance.startLoad(-1);
    instance.once(Hls.Events.LEVEL_UPDATED, () => {
      if (instance.liveSyncPosition !== null) element.currentTime = instance.liveSyncPosition;
      void element.play().catch(() => undefined);
    });
  }, [media, hls, reconnecting]);
}
