import { useCallback, useSyncExternalStore } from 'react';

/**
 * Whether a CSS media query matches now, kept current as the window changes. For layouts
 * that must mount a component once (the chat panel's ids) rather than hide one of two copies.
 *
 *   const desktop = useMediaQuery('(min-width: 1024px)');
 */
export function useMediaQuery(query: string): boolean {
  const subscribe = useCallback(
    (changed: () => void) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', changed);
      return () => list.removeEventListener('change', changed);
    },
    [query],
  );
  return useSyncExternalStore(subscribe, () => window.matchMedia(query).matches);
}

/** Tailwind's `lg`: the stream page's desktop layout (video and chat side by side) from here up. */
export const DESKTOP_QUERY = '(min-width: 1024px)';
