import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { RENDITION_PLAYLIST, THUMBNAIL_FILE } from '../segments/playback-paths.js';
import { THUMBNAIL_SECONDS, thumbnailArgs } from './ffmpeg-args.js';
import { parseMediaPlaylist } from '../packager/media-playlist.js';
import { FfmpegProcess } from './ffmpeg-process.js';

/**
 * Refreshes `thumb.jpg` beside the multivariant playlist about every 30 s from the newest
 * segment of the given rendition, written atomically so the origin never serves half a file.
 *
 *   const thumbnails = new Thumbnailer(ffmpegPath, outputDir, '360p');
 *   thumbnails.start(); … thumbnails.stop();
 */
export class Thumbnailer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<boolean> | undefined;

  constructor(
    private readonly ffmpegPath: string,
    private readonly outputDir: string,
    private readonly rendition: string,
  ) {}

  /** Captures as soon as there is a segment (retrying every 2 s), then every 30 s. */
  start(): void {
    if (this.timer) return;
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

  private async takeOne(): Promise<boolean> {
    const playlist = await readFile(path.join(this.outputDir, this.rendition, RENDITION_PLAYLIST), 'utf8').catch(() => '');
    const segment = parseMediaPlaylist(playlist).segments.at(-1);
    if (!segment) return false;
    const folder = path.join(this.outputDir, this.rendition);
    const target = path.join(this.outputDir, THUMBNAIL_FILE);
    const temporary = `${target}.tmp.jpg`;
    const ffmpeg = new FfmpegProcess(this.ffmpegPath, thumbnailArgs(path.join(folder, segment.mapUri), path.join(folder, segment.uri), temporary));
    const exit = await ffmpeg.exited;
    if (exit.code !== 0) return false;
    return rename(temporary, target).then(
      () => true,
      () => false,
    );
  }

}
