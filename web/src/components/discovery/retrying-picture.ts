import { useEffect, useState } from 'react';

/** A new live stream's thumbnail is written some seconds after it goes live; until then its URL answers 404. */
export const RETRY_EVERY_MS = 5000;
/** Long enough for the first thumbnail on a busy machine; past it the picture is taken as missing. */
export const RETRY_FOR_MS = 3 * 60_000;
/** A live thumbnail is retaken every 30 s; a card showing one fetches it anew this often. */
export const REFRESH_EVERY_MS = 60_000;

/** The address asked for on attempt `attempt`: a fresh query each time, so no cached 404 answers for it. */
export function attemptUrl(url: string, attempt: number): string {
  return attempt === 0 ? url : `${url}${url.includes('?') ? '&' : '?'}attempt=${attempt}`;
}

/** Where a picture stands: which source, which try of it, and whether a retry is being waited for. */
export interface Attempt {
  readonly index: number;
  readonly attempt: number;
  readonly waiting: boolean;
}

/**
 * After `current` failed to load: a thumbnail that may not exist yet (`pending`) is waited for
 * and asked again while the time allows; anything else gives way to the next source.
 */
export function afterFailure(state: Attempt, current: string | undefined, pending: string | undefined): Attempt {
  const mayRetry = current !== undefined && current === pending && (state.attempt + 1) * RETRY_EVERY_MS <= RETRY_FOR_MS;
  return mayRetry ? { ...state, waiting: true } : { index: state.index + 1, attempt: 0, waiting: false };
}

export interface RetryingPicture {
  /** What the <img> shows now; undefined while waiting to try again or when every source failed. */
  readonly src: string | undefined;
  readonly loaded: boolean;
  readonly onLoad: () => void;
  readonly onError: () => void;
}

/**
 * The first of `sources` that loads. `pending` (a live stream's thumbnail) may not exist yet:
 * when it fails it is asked again every few seconds, with a cache-busting query, instead of
 * being given up; once shown it is fetched anew now and then, as the stream goes on (the browser
 * keeps the old picture on screen until the new one has loaded). Give the caller's element a
 * `key` of the sources, so new sources start afresh.
 *
 *   const picture = useRetryingPicture([event.image, event.thumbnail], live ? event.thumbnail : undefined);
 *   {picture.src && <img src={picture.src} onLoad={picture.onLoad} onError={picture.onError} />}
 */
export function useRetryingPicture(sources: readonly (string | null | undefined)[], pending: string | undefined): RetryingPicture {
  const urls = [...new Set(sources.filter((url): url is string => typeof url === 'string' && url !== ''))];
  const [state, setState] = useState<Attempt>({ index: 0, attempt: 0, waiting: false });
  const [loaded, setLoaded] = useState(false);
  const current = urls[state.index];

  useEffect(() => {
    if (!state.waiting) return;
    const timer = setTimeout(() => setState((previous) => ({ ...previous, attempt: previous.attempt + 1, waiting: false })), RETRY_EVERY_MS);
    return () => clearTimeout(timer);
  }, [state.waiting]);

  const refreshing = loaded && current !== undefined && current === pending;
  useEffect(() => {
    if (!refreshing) return;
    const timer = setInterval(() => setState((previous) => ({ ...previous, attempt: previous.attempt + 1 })), REFRESH_EVERY_MS);
    return () => clearInterval(timer);
  }, [refreshing]);

  return {
    src: current === undefined || state.waiting ? undefined : attemptUrl(current, state.attempt),
    loaded,
    onLoad: () => setLoaded(true),
    onError: () => {
      setLoaded(false);
      setState((previous) => afterFailure(previous, current, pending));
    },
  };
}
