import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { RENDITION_PLAYLIST } from '../segments/playback-paths.js';
import { readFragments } from './fragment-stream.js';
import type { MediaFeeds } from './media-feeds.js';
import { RenditionPackager } from './rendition-packager.js';

/** The longest part we aim for: Apple's LL-HLS examples use 1/3 s parts, hls.js holds three back. */
const PART_SECONDS = 1 / 3;
/** RTMP timestamps are whole milliseconds, so N frames measure a millisecond or so over N/fps. */
const TIMESTAMP_SLACK_SECONDS = 0.01;
/** Sound only: an AAC frame is 1024 samples; at 48 kHz fragments of 0.3 s hold 15 frames (0.32 s), at 44.1 kHz 13 (0.302 s). */
const AUDIO_FRAGMENT_SECONDS = 0.3;
const AUDIO_PART_TARGET_SECONDS = 0.34;

export interface PartTiming {
  /** ffmpeg's `-frag_duration`, in microseconds: a fragment is cut before the frame that would reach it. */
  readonly fragmentMicros: number;
  /** EXT-X-PART-INF's PART-TARGET: no fragment the muxer cuts is longer. */
  readonly partTargetSeconds: number;
}

/**
 * Fragments of a whole number of frames, as many as fit in a third of a second: ffmpeg's mp4
 * muxer cuts before the first frame at or past `-frag_duration` after the fragment's first, so
 * asking for half a frame less than N frames gives exactly N, whatever the jitter.
 */
export function partTiming(fps: number | null, audioOnly: boolean): PartTiming {
  if (audioOnly) return { fragmentMicros: AUDIO_FRAGMENT_SECONDS * 1e6, partTargetSeconds: AUDIO_PART_TARGET_SECONDS };
  const rate = fps !== null && fps > 0 ? fps : 30;
  const frames = Math.max(1, Math.floor(PART_SECONDS * rate + 1e-6));
  return {
    fragmentMicros: Math.round(((frames - 0.5) / rate) * 1e6),
    partTargetSeconds: Math.ceil((frames / rate + TIMESTAMP_SLACK_SECONDS) * 1000) / 1000,
  };
}

export interface LadderPackagerOptions {
  readonly streamId: string;
  /** Rendition names, in the order of ffmpeg's outputs. */
  readonly renditions: readonly string[];
  readonly liveDir: string;
  readonly timing: PartTiming;
  readonly segmentSeconds: number;
  readonly windowSegments: number;
  readonly feeds: MediaFeeds;
  readonly logger: Pick<Logger, 'warn'>;
}

/**
 * The LL-HLS writer of a stream's whole ladder: a rendition packager per rendition, each telling
 * the others' playlists where its edge is (EXT-X-RENDITION-REPORT), each fragment also handed to
 * the stream's media feeds. Outputs that are not in the ladder (the Opus sound for WebRTC) are only fed.
 *
 *   const ladder = new LadderPackager(options);
 *   await ladder.load();
 *   await ladder.consume(ffmpeg.outputs, ['opus']);   // one run
 */
export class LadderPackager {
  private readonly packagers: RenditionPackager[];
  private runs = 0;

  constructor(private readonly options: LadderPackagerOptions) {
    this.packagers = options.renditions.map(
      (name) =>
        new RenditionPackager({
          name,
          dir: path.join(options.liveDir, name),
          partTargetSeconds: options.timing.partTargetSeconds,
          segmentSeconds: options.segmentSeconds,
          windowSegments: options.windowSegments,
          reports: () => this.reportsFor(name),
          onFragment: (fragment) => options.feeds.publish(options.streamId, name, fragment),
          onPlaylist: () => undefined,
          logger: options.logger,
        }),
    );
  }

  get timing(): PartTiming {
    return this.options.timing;
  }

  /** Continues the playlists an earlier process left. */
  async load(): Promise<void> {
    await Promise.all(this.options.renditions.map((name) => mkdir(path.join(this.options.liveDir, name), { recursive: true })));
    await Promise.all(this.packagers.map((packager) => packager.load()));
  }

  /**
   * One ffmpeg run: `outputs[i]` is rendition i's pipe, then one per name of `feedOnly`.
   * Resolves once every pipe has ended and its last playlist is written.
   */
  async consume(outputs: readonly Readable[], feedOnly: readonly string[] = []): Promise<void> {
    this.runs += 1;
    const ladder = this.packagers.map((packager, index) => {
      const output = outputs[index];
      return output ? packager.consume(output) : Promise.resolve();
    });
    const fed = feedOnly.map((name, index) => {
      const output = outputs[this.packagers.length + index];
      return output ? this.feed(name, output) : Promise.resolve();
    });
    await Promise.all([...ladder, ...fed]);
  }

  private async feed(name: string, output: Readable): Promise<void> {
    const run = this.runs;
    for await (const item of readFragments(output)) {
      if (item.kind !== 'fragment') continue;
      const { init, moof, mdat, info } = item;
      this.options.feeds.publish(this.options.streamId, name, { init: init.init, tracks: init.tracks, moof, mdat, info, run });
    }
  }

  private reportsFor(name: string) {
    return this.options.renditions.flatMap((other, index) => {
      const report = other === name ? undefined : this.packagers[index]?.report;
      return report ? [{ uri: `../${other}/${RENDITION_PLAYLIST}`, ...report }] : [];
    });
  }
}
