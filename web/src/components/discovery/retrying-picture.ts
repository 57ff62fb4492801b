import { useEffect, useState } from 'react';

/** A new live stream's thumbnail is written some seconds after it goes live; until then its URL answers 404. */
export const RETRY_EVERY_MS = 5000;
/** Long enough for the first thumbnail on a busy machine; past it the picture is taken as missing. */
export const RETRY_FOR_MS = 3 * 60_000;

/** The address asked for on attempt `attempt`: a fresh query each time, so no cached 404 answers for it. */
export function attemptUrl(url: string, attempt: number): string {
  return attempt === 0 ? url : `${url}${url.includes('?') ? '&' : '?'}attempt=${attempt}`;
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
 * being given up. Give the caller's element a `key` of the sources, so new sources start afresh.
 *
 *   const picture = useRetryingPicture([event.image, event.thumbnail], live ? event.thumbnail : undefined);
 *   {picture.src && <img src={picture.src} onLoad={picture.onLoad} onError={picture.onError} />}
 */
export function useRetryingPicture(sources: readonly (string | null | undefined)[], pending: string | undefined): RetryingPicture {
  const urls = [...new Set(sources.filter((url): url is string => typeof url === 'string' && url !== ''))];
  const [index, setIndex] = useState(0);
  const [attempt, setAttempt] = useState(0);
  const [waiting, setWaiting] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const current = urls[index];

  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(() => {
      setAttempt((previous) => previous + 1);
      setWaiting(false);
    }, RETRY_EVERY_MS);
    return () => clearTimeout(timer);
  }, [waiting]);

  const onError = () => {
    setLoaded(false);
    if (current !== undefined && current === pending && (attempt + 1) * RETRY_EVERY_MS <= RETRY_FOR_MS) setWaiting(true);
    else {
      setIndex((previous) => previous + 1);
      setAttempt(0);
    }
  };
  return {
    src: current === undefined || waiting ? undefined : attemptUrl(current, attempt),
    loaded,
    onLoad: () => setLoaded(true),
    onError,
  };
}
