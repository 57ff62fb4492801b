import type { RenditionPlan } from '../media/ladder.js';
import type { FragmentInfo, TrackInfo } from './fragment-info.js';

/** One fMP4 fragment of a rendition as the packager cut it from ffmpeg's output. */
export interface FeedFragment {
  /** The init segment (`ftyp` + `moov`) the fragment decodes with; a new one after each ffmpeg run. */
  readonly init: Buffer;
  readonly tracks: readonly TrackInfo[];
  /** The fragment's `moof` and `mdat` boxes, whole. */
  readonly moof: Buffer;
  readonly mdat: Buffer;
  readonly info: FragmentInfo;
  /** Bumped each time ffmpeg is started again (restart, slate, reconnect): timestamps start over. */
  readonly run: number;
}

type Listener = (fragment: FeedFragment) => void;

/**
 * The live media of every stream on this node, in memory, as the packager cuts it: the LL-HLS
 * writer is one consumer, WebRTC (WHEP) sessions are others. A feed is named by the rendition
 * (`720p`, `audio-128k`) or by an extra output that is not in the HLS ladder (`opus`, for WebRTC).
 *
 *   const stop = feeds.subscribe(streamId, '360p', (fragment) => …);
 *   feeds.announce(streamId, plans);              // the transcoder: the ladder its feeds are cut from
 *   feeds.publish(streamId, '360p', fragment);   // the packager
 *   feeds.end(streamId);                          // the stream stopped: listeners hear `onEnd`
 */
export class MediaFeeds {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly endListeners = new Map<string, Set<() => void>>();
  private readonly latest = new Map<string, FeedFragment>();
  private readonly ladders = new Map<string, readonly RenditionPlan[]>();

  announce(streamId: string, plans: readonly RenditionPlan[]): void {
    this.ladders.set(streamId, plans);
  }

  /** The ladder a stream's feeds come from, while it is live on this node. */
  ladder(streamId: string): readonly RenditionPlan[] | undefined {
    return this.ladders.get(streamId);
  }

  subscribe(streamId: string, feed: string, listener: Listener, onEnd?: () => void): () => void {
    const key = feedKey(streamId, feed);
    const set = this.listeners.get(key) ?? new Set();
    set.add(listener);
    this.listeners.set(key, set);
    const ends = this.endListeners.get(streamId) ?? new Set();
    if (onEnd) ends.add(onEnd);
    this.endListeners.set(streamId, ends);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(key);
      if (onEnd) ends.delete(onEnd);
      if (ends.size === 0) this.endListeners.delete(streamId);
    };
  }

  publish(streamId: string, feed: string, fragment: FeedFragment): void {
    const key = feedKey(streamId, feed);
    this.latest.set(key, fragment);
    for (const listener of this.listeners.get(key) ?? []) listener(fragment);
  }

  /** The newest fragment of a feed: a new subscriber learns the init segment and whether the feed is live. */
  last(streamId: string, feed: string): FeedFragment | undefined {
    return this.latest.get(feedKey(streamId, feed));
  }

  end(streamId: string): void {
    this.ladders.delete(streamId);
    for (const key of [...this.latest.keys()]) if (key.startsWith(`${streamId}/`)) this.latest.delete(key);
    const ends = this.endListeners.get(streamId);
    this.endListeners.delete(streamId);
    for (const onEnd of ends ?? []) onEnd();
  }
}

function feedKey(streamId: string, feed: string): string {
  return `${streamId}/${feed}`;
}
