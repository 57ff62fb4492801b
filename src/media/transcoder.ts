import { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { MASTER_PLAYLIST, RENDITION_PLAYLIST } from '../segments/playback-paths.js';
import type { PlaylistWatch, SegmentStore } from '../segments/segment-store.js';
import { LadderPackager, partTiming } from '../packager/ladder-packager.js';
import type { MediaFeeds } from '../packager/media-feeds.js';
import { LIVE_WINDOW_SEGMENTS, liveArgs, slateArgs } from './ffmpeg-args.js';
import { nextRecordingPart } from './recording.js';
import { FfmpegProcess, type FfmpegExit } from './ffmpeg-process.js';
import type { FlvSplicer } from './flv-splicer.js';
import { isAudioOnly, SEGMENT_SECONDS, type RenditionPlan } from './ladder.js';
import { masterPlaylist } from './master-playlist.js';
import { Thumbnailer } from './thumbnailer.js';

export interface TranscoderOptions {
  readonly streamId: string;
  readonly ffmpegPath: string;
  readonly preset: string;
  /** Where the ladder (and, when `record`, the recording) is written. */
  readonly store: SegmentStore;
  readonly record: boolean;
  readonly plans: readonly RenditionPlan[];
  /** The source's frame rate as measured so far, for FRAME-RATE and the slate. */
  readonly fps: () => number | null;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
  /** Where each rendition's fragments go besides the LL-HLS files (WebRTC sessions listen there). */
  readonly feeds: MediaFeeds;
  /** Outputs fed to `feeds` only, not in the ladder: a name and its ffmpeg output args on a pipe (`opus` for WebRTC). */
  readonly feedOutputs?: readonly { readonly name: string; readonly args: (fd: number) => string[] }[];
  /** Crashes tolerated within `restartWindowMs` before the stream is given up as failed. */
  readonly maxRestarts?: number;
  readonly restartWindowMs?: number;
}

type Mode = 'live' | 'slate' | 'stopped';

/**
 * The one ffmpeg of a stream, kept alive: it transcodes the publisher's FLV into the HLS
 * ladder, is restarted (continuing the same playlists) when it dies, gives up with a
 * readable reason after repeated crashes, swaps to the "be right back" slate on pause,
 * and picks up a new publisher connection after a reconnect.
 *
 *   const transcoder = new Transcoder(options);
 *   transcoder.on('restarted', …).on('failed', (reason) => …);
 *   transcoder.attach(splicer);      // start, or continue after a reconnect
 *   transcoder.pause(); transcoder.resume();
 *   await transcoder.stop();         // the recording is joined from disk by `finaliseRecording`
 */
export class Transcoder extends EventEmitter<{ restarted: [FfmpegExit]; failed: [string]; thumbnail: [] }> {
  private mode: Mode = 'live';
  private splicer: FlvSplicer | undefined;
  private process: FfmpegProcess | undefined;
  /** The packaging of the current run's output: done once ffmpeg's pipes have ended. */
  private packaging: Promise<void> | undefined;
  private ladder: LadderPackager | undefined;
  private readonly crashes: number[] = [];
  private ready = false;
  private firstPlaylist: PlaylistWatch | undefined;
  /** None for sound only: the stream's picture is its cover art. */
  private readonly thumbnails: Thumbnailer | undefined;

  constructor(private readonly options: TranscoderOptions) {
    super();
    options.feeds.announce(options.streamId, options.plans);
    const smallest = options.plans.at(-1)?.name ?? 'source';
    this.thumbnails = isAudioOnly(options.plans)
      ? undefined
      : new Thumbnailer(options.ffmpegPath, options.store.liveDir(options.streamId), smallest, () => this.emit('thumbnail'));
  }

  /** Feeds this publisher connection in: the first one, or the next after a reconnect. */
  async attach(splicer: FlvSplicer): Promise<void> {
    this.splicer = splicer;
    if (isAudioOnly(this.options.plans)) splicer.startOnSound();
    if (this.mode === 'live') await this.run();
  }

  async pause(): Promise<void> {
    if (this.mode !== 'live') return;
    this.mode = 'slate';
    await this.thumbnails?.stop();
    await this.run();
  }

  async resume(): Promise<void> {
    if (this.mode !== 'slate') return;
    this.mode = 'live';
    await this.run();
    // The newest segments are the slate's until the source's first one is written.
    if (this.ready) this.thumbnails?.start(true);
  }

  /** Stops ffmpeg once it has written the segments and playlists it was on. */
  async stop(): Promise<void> {
    this.mode = 'stopped';
    this.firstPlaylist?.close();
    await this.thumbnails?.stop();
    this.splicer?.detach();
    await this.process?.stop();
    await this.packaging;
    this.process = undefined;
    this.options.feeds.end(this.options.streamId);
  }

  private async run(): Promise<void> {
    const previous = this.process;
    this.process = undefined;
    await previous?.stop();
    // The last run's segment must be closed before the next run opens one.
    await this.packaging;
    if (this.mode === 'stopped') return;

    const { store, streamId } = this.options;
    const dir = this.options.record ? store.recordingDir(streamId) : undefined;
    if (dir) await mkdir(dir, { recursive: true });
    const ladder = await this.ladderPackager();
    // Its output goes to pipes, not files: running in the stream's folder tells an operator (and `ps`) whose ffmpeg it is.
    const cwd = store.liveDir(streamId);
    const output = {
      preset: this.options.preset,
      hasAudio: this.splicer?.hasAudio ?? true,
      fragmentMicros: ladder.timing.fragmentMicros,
    };
    const part = dir && this.mode === 'live' ? await nextRecordingPart(dir) : undefined;
    // Stopped while this run was getting ready: an ffmpeg started now would outlive the stream
    // and record a part after the recording was joined.
    if (this.isStopped()) return;
    const renditions = this.options.plans.length;
    let process: FfmpegProcess;
    let feedOnly: string[] = [];
    if (this.mode === 'slate') {
      this.splicer?.detach();
      process = new FfmpegProcess(this.options.ffmpegPath, slateArgs(this.options.plans, output, this.options.fps() ?? 30), undefined, { outputs: renditions, cwd });
    } else {
      if (!this.splicer || this.splicer.isEnded) return;
      const feeds = output.hasAudio ? (this.options.feedOutputs ?? []) : [];
      const extraOutputs = (firstFd: number) => feeds.flatMap((feed, index) => feed.args(firstFd + index));
      const args = liveArgs(this.options.plans, { ...output, extraOutputs, ...(dir && part !== undefined && { recording: { dir, part } }) });
      process = new FfmpegProcess(this.options.ffmpegPath, args, this.splicer.output(), { outputs: renditions + feeds.length, cwd });
      feedOnly = feeds.map((feed) => feed.name);
    }
    this.packaging = ladder.consume(process.outputs, feedOnly);
    this.process = process;
    this.watchForFirstPlaylist();
    void process.exited
      .then((exit) => this.onExit(process, exit))
      .catch((error: unknown) => {
        this.mode = 'stopped';
        this.emit('failed', `The transcoder could not be restarted: ${error instanceof Error ? error.message : String(error)}`);
      });
  }

  /** A method, not `this.mode` inline: TypeScript would keep the narrowing from before an await. */
  private isStopped(): boolean {
    return this.mode === 'stopped';
  }

  private async onExit(process: FfmpegProcess, exit: FfmpegExit): Promise<void> {
    // A process we replaced or stopped, or a publisher that went away, is not a crash.
    if (this.process !== process || this.mode === 'stopped') return;
    if (this.mode === 'live' && this.splicer?.isEnded && exit.code === 0) return;
    const now = Date.now();
    const window = this.options.restartWindowMs ?? 60_000;
    this.crashes.push(now);
    while (this.crashes.length > 0 && now - (this.crashes[0] ?? now) > window) this.crashes.shift();
    if (this.crashes.length > (this.options.maxRestarts ?? 3)) {
      this.mode = 'stopped';
      this.process = undefined;
      this.emit('failed', `The transcoder failed ${this.crashes.length} times in a row; last error: ${exit.reason}`);
      return;
    }
    this.options.logger.warn(
      { streamId: this.options.streamId, code: exit.code, signal: exit.signal, reason: exit.reason },
      'transcoder exited; restarting',
    );
    this.emit('restarted', exit);
    await sleep(250 * this.crashes.length);
    if (this.process === process) await this.run();
  }

  /** Made at the first run, when the source's frame rate is known: it sets the part length. */
  private async ladderPackager(): Promise<LadderPackager> {
    if (this.ladder) return this.ladder;
    const { plans, store, streamId } = this.options;
    const ladder = new LadderPackager({
      streamId,
      renditions: plans.map((plan) => plan.name),
      liveDir: store.liveDir(streamId),
      timing: partTiming(this.options.fps(), isAudioOnly(plans)),
      segmentSeconds: SEGMENT_SECONDS,
      windowSegments: LIVE_WINDOW_SEGMENTS,
      feeds: this.options.feeds,
      logger: this.options.logger,
    });
    await ladder.load();
    this.ladder = ladder;
    return ladder;
  }

  private firstRendition(): string {
    return this.options.plans[0]?.name ?? 'source';
  }

  /** The multivariant playlist is written once a rendition has a playlist, so players never meet a dangling variant. */
  private watchForFirstPlaylist(): void {
    if (this.ready || this.firstPlaylist) return;
    this.firstPlaylist = this.options.store.watchPlaylists(this.options.streamId, (rendition) => {
      if (rendition !== this.firstRendition() || this.ready) return;
      this.firstPlaylist?.close();
      this.firstPlaylist = undefined;
      this.ready = true;
      if (this.mode === 'live') this.thumbnails?.start();
      this.writeMaster().catch((error: unknown) => {
        // Written again when ffmpeg next starts; until then players cannot open the stream.
        this.ready = false;
        this.options.logger.warn({ err: error, streamId: this.options.streamId }, 'writing the master playlist failed; is the disk full?');
      });
    });
  }

  private writeMaster(): Promise<void> {
    return this.options.store.writeLive(this.options.streamId, MASTER_PLAYLIST, masterPlaylist(this.options.plans, this.options.fps() ?? 30));
  }
}
