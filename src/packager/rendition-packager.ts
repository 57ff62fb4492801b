import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { RENDITION_PLAYLIST } from '../segments/playback-paths.js';
import type { FragmentInfo, TrackInfo } from './fragment-info.js';
import { readFragments, type Fragment, type InitSegment } from './fragment-stream.js';
import type { FeedFragment } from './media-feeds.js';
import { parseMediaPlaylist, renderMediaPlaylist, type OpenSegment, type Part, type RenditionReport, type Segment } from './media-playlist.js';

export interface RenditionPackagerOptions {
  readonly name: string;
  /** The rendition's folder: `<live dir>/<name>`. */
  readonly dir: string;
  readonly partTargetSeconds: number;
  readonly segmentSeconds: number;
  /** Closed segments the playlist lists. */
  readonly windowSegments: number;
  /** The other renditions' edges, for EXT-X-RENDITION-REPORT. */
  readonly reports: () => readonly RenditionReport[];
  readonly onFragment: (fragment: FeedFragment) => void;
  /** Called after each playlist write (the ladder writes the multivariant playlist after the first). */
  readonly onPlaylist: () => void;
  readonly logger: Pick<Logger, 'warn'>;
}

/** Closed segments near the edge keep their parts listed: a player holding back three parts may still be in them. */
const SEGMENTS_WITH_PARTS = 2;
/** Files stay this many segments after they leave the playlist, for players that read it just before. */
const DELETE_AFTER_SEGMENTS = 2;

interface OpenState extends OpenSegment {
  readonly startSeconds: number;
  readonly durationSeconds: number;
  readonly bytes: readonly Buffer[];
}

interface Run {
  readonly id: number;
  readonly mapUri: string;
  readonly init: Buffer;
  readonly tracks: readonly TrackInfo[];
  /** Wall-clock time of media time zero of this run, for PROGRAM-DATE-TIME. */
  epochMs: number;
  parts: number;
}

/**
 * One rendition's LL-HLS writer: it reads the fragmented MP4 an ffmpeg run writes on a pipe, and
 * writes the init segment, each fragment as a part, each keyframe-to-keyframe span as a segment,
 * and the media playlist after every part, each file renamed into place whole. Runs follow each
 * other (a restart, the slate, a reconnect) in the same playlist after a discontinuity.
 *
 *   const packager = new RenditionPackager(options);
 *   await packager.load();                     // continue what an earlier process wrote
 *   await packager.consume(ffmpeg.outputs[0]); // until that pipe ends
 */
export class RenditionPackager {
  private segments: Segment[] = [];
  private discontinuitySequence = 0;
  private open: OpenState | undefined;
  private nextMsn = 0;
  private runs = 0;
  private hint: string | undefined;
  private targetDuration: number;
  private warnedLongPart = false;
  /** Files no longer listed, deleted once the segment `dueMsn` closes: in the order they are due. */
  private readonly retired: { dueMsn: number; files: string[] }[] = [];

  constructor(private readonly options: RenditionPackagerOptions) {
    this.targetDuration = Math.round(options.segmentSeconds);
  }

  /** The edge for other renditions' reports. */
  get report(): { lastMsn: number; lastPart: number } | undefined {
    if (this.open) return { lastMsn: this.open.msn, lastPart: this.open.parts.length - 1 };
    const last = this.segments.at(-1);
    return last ? { lastMsn: last.msn, lastPart: Math.max(0, last.parts.length - 1) } : undefined;
  }

  async load(): Promise<void> {
    const text = await readFile(path.join(this.options.dir, RENDITION_PLAYLIST), 'utf8').catch(() => undefined);
    if (text === undefined) return;
    const parsed = parseMediaPlaylist(text);
    this.segments = parsed.segments.slice(-this.options.windowSegments);
    this.discontinuitySequence = parsed.discontinuitySequence;
    this.nextMsn = (parsed.segments.at(-1)?.msn ?? -1) + 1;
    this.runs = this.segments.length > 0 ? 1 : 0;
  }

  /** Packages one ffmpeg run's output; resolves once the pipe has ended and the last playlist is written. */
  async consume(output: Readable): Promise<void> {
    const id = this.nextMsn;
    const first = this.runs === 0;
    this.runs += 1;
    let run: Run | undefined;
    try {
      for await (const item of readFragments(output)) {
        // A write that fails (a full disk) loses that fragment, not the pipe: ffmpeg would block on it.
        try {
          if (item.kind === 'init') run = await this.startRun(id, item);
          else if (run) await this.addFragment(run, first, item);
        } catch (error) {
          this.options.logger.warn({ err: error, rendition: this.options.name }, 'writing LL-HLS output failed; is the disk full?');
        }
      }
    } catch (error) {
      // Output this packager cannot read closes the pipe: ffmpeg stops on it and the transcoder starts a new run.
      this.options.logger.warn({ err: error, rendition: this.options.name }, 'unreadable fragmented MP4 from ffmpeg; ending this run');
    }
    await this.endRun().catch((error: unknown) => this.options.logger.warn({ err: error, rendition: this.options.name }, 'closing the last segment failed'));
  }

  private async startRun(id: number, init: InitSegment): Promise<Run> {
    const mapUri = `init_${id}.mp4`;
    await this.writeFile(mapUri, init.init);
    return { id, mapUri, init: init.init, tracks: init.tracks, epochMs: Number.NaN, parts: 0 };
  }

  private async addFragment(run: Run, firstRun: boolean, { moof, mdat, info }: Fragment): Promise<void> {
    // The capture time of the fragment's first frame: it has just been written, a fragment's length after it began.
    if (Number.isNaN(run.epochMs)) run.epochMs = Date.now() - (info.startSeconds + info.durationSeconds) * 1000;
    this.checkPartLength(info);
    const open = this.open;
    if (open && info.independent && open.durationSeconds >= this.options.segmentSeconds - this.options.partTargetSeconds / 2) {
      await this.closeSegment(open);
    }
    const bytes = Buffer.concat([moof, mdat]);
    const part: Part = { uri: this.partUri(run), durationSeconds: info.durationSeconds, independent: info.independent };
    run.parts += 1;
    await this.writeFile(part.uri, bytes);
    const current = this.open ?? {
      msn: this.nextMsn++,
      mapUri: run.mapUri,
      discontinuity: !firstRun && run.parts === 1,
      programDateTime: new Date(run.epochMs + info.startSeconds * 1000),
      startSeconds: info.startSeconds,
      durationSeconds: 0,
      parts: [],
      bytes: [],
    };
    this.open = { ...current, durationSeconds: current.durationSeconds + info.durationSeconds, parts: [...current.parts, part], bytes: [...current.bytes, bytes] };
    this.targetDuration = Math.max(this.targetDuration, Math.round(this.open.durationSeconds));
    this.hint = this.partUri(run);
    await this.writePlaylist();
    this.options.onFragment({ init: run.init, tracks: run.tracks, moof, mdat, info, run: run.id });
  }

  private async endRun(): Promise<void> {
    this.hint = undefined;
    if (this.open) await this.closeSegment(this.open);
    await this.writePlaylist();
  }

  private async closeSegment(open: OpenState): Promise<void> {
    const uri = `seg_${String(open.msn).padStart(5, '0')}.m4s`;
    await this.writeFile(uri, Buffer.concat(open.bytes));
    const { msn, mapUri, discontinuity, programDateTime, parts, durationSeconds } = open;
    this.segments.push({ msn, uri, mapUri, discontinuity, programDateTime, parts, durationSeconds });
    this.open = undefined;
    const keepParts = this.segments.length - SEGMENTS_WITH_PARTS;
    this.segments = this.segments.map((segment, index) => {
      if (index >= keepParts || segment.parts.length === 0) return segment;
      this.retired.push({ dueMsn: msn + DELETE_AFTER_SEGMENTS, files: segment.parts.map((part) => part.uri) });
      return { ...segment, parts: [] };
    });
    while (this.segments.length > this.options.windowSegments) {
      const gone = this.segments.shift();
      if (!gone) break;
      if (gone.discontinuity) this.discontinuitySequence += 1;
      this.retired.push({ dueMsn: msn + DELETE_AFTER_SEGMENTS, files: [gone.uri] });
    }
    await this.deleteRetired(msn);
  }

  private async deleteRetired(newestMsn: number): Promise<void> {
    while ((this.retired[0]?.dueMsn ?? Infinity) <= newestMsn) {
      const due = this.retired.shift();
      for (const file of due?.files ?? []) await rm(path.join(this.options.dir, file), { force: true });
    }
  }

  private partUri(run: Run): string {
    return `part_${run.id}_${run.parts}.m4s`;
  }

  private checkPartLength(info: FragmentInfo): void {
    if (info.durationSeconds <= this.options.partTargetSeconds || this.warnedLongPart) return;
    this.warnedLongPart = true;
    this.options.logger.warn(
      { rendition: this.options.name, partSeconds: info.durationSeconds, partTargetSeconds: this.options.partTargetSeconds },
      'a part is longer than PART-TARGET; is the source frame rate lower than the ladder assumed?',
    );
  }

  private async writePlaylist(): Promise<void> {
    const text = renderMediaPlaylist({
      targetDurationSeconds: this.targetDuration,
      partTargetSeconds: this.options.partTargetSeconds,
      segments: this.segments,
      discontinuitySequence: this.discontinuitySequence,
      open: this.open,
      nextPartUri: this.hint,
      reports: this.options.reports(),
    });
    await this.writeFile(RENDITION_PLAYLIST, text);
    this.options.onPlaylist();
  }

  /** Renamed into place: the origin (and a hinted request waiting for it) never sees half a file. */
  private async writeFile(name: string, data: Buffer | string): Promise<void> {
    const file = path.join(this.options.dir, name);
    await writeFile(`${file}.tmp`, data);
    await rename(`${file}.tmp`, file);
  }
}
