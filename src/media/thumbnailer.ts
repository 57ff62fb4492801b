import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { RENDITION_PLAYLIST, THUMBNAIL_FILE } from '../segments/playback-paths.js';
import { THUMBNAIL_SECONDS, thumbnailArgs } from './ffmpeg-args.js';
import { parseMediaPlaylist } from '../packager/media-playlist.js';
import { FfmpegProcess } from './ffmpeg-process.js';

/**
 * Refreshes `thumb.jpg` beside the multivariant playlist about every 30 s from the newest
 * segment of the given rendition, written atomically so the origin never serves half a file.
 * After a pause, the segments already written are the "be right back" slate: `start(true)`
 * waits for the first segment after them, so the stream's picture (and its recording's) is never the slate.
 *
 *   const thumbnails = new Thumbnailer(ffmpegPath, outputDir, '360p', () => announce());
 *   thumbnails.start(); … thumbnails.stop(); … thumbnails.start(true);
 */
export class Thumbnailer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<boolean> | undefined;
  /** Segments up to this media sequence number are not the picture (-1: any is). */
  private newerThan: Promise<number> = Promise.resolve(-1);

  constructor(
    private readonly ffmpegPath: string,
    private readonly outputDir: string,
    private readonly rendition: string,
    /** Called after each picture written. */
    private readonly onCapture: () => void = () => undefined,
  ) {}

  /** Captures as soon as there is a segment (retrying every 2 s), then every 30 s; `afterWritten`: only from segments not yet written. */
  start(afterWritten = false): void {
    if (this.timer) return;
    this.newerThan = afterWritten ? this.readSegments().then((segments) => segments.at(-1)?.msn ?? -1) : Promise.resolve(-1);
    this.schedule(0);
  }

  /** Stops refreshing; resolves once a capture in progress has finished writing. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      void this.capture().then((captured) => {
        if (this.timer) this.schedule(captured ? THUMBNAIL_SECONDS * 1000 : 2000);
      });
    }, delayMs);
    this.timer.unref();
  }

  /** One capture now; false when there was no segment to take it from or ffmpeg failed. */
  async capture(): Promise<boolean> {
    if (this.running) return false;
    this.running = this.takeOne();
    try {
      return await this.running;
    } finally {
      this.running = undefined;
    }
  }

  private async readSegments() {
    const playlist = await readFile(path.join(this.outputDir, this.rendition, RENDITION_PLAYLIST), 'utf8').catch(() => '');
    return parseMediaPlaylist(playlist).segments;
  }

  private async takeOne(): Promise<boolean> {
    const newerThan = await this.newerThan;
    const segment = (await this.readSegments()).at(-1);
    if (!segment || segment.msn <= newerThan) return false;
    const folder = path.join(this.outputDir, this.rendition);
    const target = path.join(this.outputDir, THUMBNAIL_FILE);
    const temporary = `${target}.tmp.jpg`;
    const ffmpeg = new FfmpegProcess(this.ffmpegPath, thumbnailArgs(path.join(folder, segment.mapUri), path.join(folder, segment.uri), temporary));
    const exit = await ffmpeg.exited;
    if (exit.code !== 0) return false;
    const written = await rename(temporary, target).then(
      () => true,
      () => false,
    );
    if (written) this.onCapture();
    return written;
  }
}
