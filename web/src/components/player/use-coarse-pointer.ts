import { useSyncExternalStore } from 'react';

const QUERY = '(pointer: coarse)';

const subscribe = (listener: () => void) => {
  const query = window.matchMedia(QUERY);
  query.addEventListener('change', listener);
  return () => query.removeEventListener('change', listener);
};

/**
 * True on a touch screen (the main pointer is a finger), false with a mouse or trackpad; follows
 * a tablet that gains or loses its keyboard. Words ("Tap" or not) and desktop-only controls hang on it.
 *
 *   const touch = useCoarsePointer();
 */
export function useCoarsePointer(): boolean {
  return useSyncExternalStore(subscribe, () => window.matchMedia(QUERY).matches);
}
