import type { Logger } from 'pino';
import type { IngestStatsSnapshot } from '../ingest/ingest-stats.js';
import type { AuthorizeResult, PublishSession, UnpublishReason } from '../ingest/rtmp/rtmp-server.js';
import type { StreamService } from '../streams/stream-service.js';
import type { Stream } from '../streams/stream.js';
import { FlvSplicer } from '../media/flv-splicer.js';
import { planAudioLadder, planLadder, type RenditionPlan, type SourceInfo } from '../media/ladder.js';
import { finaliseRecording } from '../media/recording.js';
import { Transcoder, type TranscoderOptions } from '../media/transcoder.js';
import type { PublishGate } from './publish-gate.js';
import type { Publishers } from './publishers.js';
import type { LiveReactions } from './stream-state.js';
import { playbackPaths } from '../segments/playback-paths.js';
import type { MediaFeeds } from '../packager/media-feeds.js';
import type { SegmentStore } from '../segments/segment-store.js';
import type { StreamHolding } from '../cluster/stream-holding.js';

export interface LivePipelineOptions {
  readonly streams: StreamService;
  readonly gate: PublishGate;
  readonly publishers: Publishers;
  readonly ffmpegPath: string;
  readonly preset: string;
  readonly segments: SegmentStore;
  readonly publicUrl: string;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
  readonly onTranscoderRestart: () => void;
  readonly feeds: MediaFeeds;
  readonly feedOutputs?: TranscoderOptions['feedOutputs'];
  /** Each encoder connection's media once it is known, for what else reads it (forwarding taps it). */
  readonly onSource?: (streamId: string, splicer: FlvSplicer) => void;
  /** Which node holds which stream: taken with the encoder, let go with the live window. */
  readonly holding: StreamHolding;
}

/**
 * How long to wait for the second keyframe (the keyframe interval decides whether the
 * source can be copied) before starting ffmpeg with what is known by then.
 */
const SOURCE_INFO_TIMEOUT_MS = 10_000;
/** Sound this long with no video tag (and no video in onMetaData) marks an audio-only encoder. */
const SOUND_ONLY_SECONDS = 2;

/**
 * How long an ended stream's last live window stays: the origin serves its playlists with
 * EXT-X-ENDLIST, so a player at the live edge plays the last segments and sees the end.
 */
export const ENDED_WINDOW_MS = 5 * 60_000;

/**
 * From an encoder's connection to HLS on disk: checks the key at the publish gate, runs the
 * stream's transcoder on the publisher's media, acts on the stream's lifecycle (pause,
 * reconnect, stop, transcoder failure) and finalises the recording.
 *
 *   const pipeline = new LivePipeline(options);
 *   new RtmpServer({ authorize: pipeline.authorize, publish: pipeline.publish, unpublish: pipeline.unpublish, logger });
 *   state.lead(pipeline.reactions);
 */
export class LivePipeline {
  private readonly transcoders = new Map<string, Transcoder>();
  private readonly finishing = new Set<Promise<void>>();
  private readonly endedWindows = new Map<string, NodeJS.Timeout>();

  constructor(private readonly options: LivePipelineOptions) {
    options.holding.onLost((streamId) => this.track(streamId, this.handedOver(streamId)));
  }

  readonly reactions: LiveReactions = {
    everyNode: true,
    ended: (stream) => this.track(stream.id, this.finish(stream)),
    previewDiscarded: (stream) => this.track(stream.id, this.discardPreview(stream.id)),
    paused: (stream) => {
      const transcoder = this.transcoders.get(stream.id);
      (stream.paused ? transcoder?.pause() : transcoder?.resume())?.catch((error: unknown) => {
        this.options.logger.warn({ err: error, streamId: stream.id }, stream.paused ? 'switching to the pause slate failed' : 'resuming the stream failed');
      });
    },
  };

  /** The publish gate, as `POST /api/v1/streams/auth` runs it, before any media is accepted. */
  readonly authorize = async (streamKey: string, remoteAddress: string): Promise<AuthorizeResult> => {
    const check = await this.options.gate.check(streamKey, remoteAddress);
    if (!check.ok) {
      if (check.retryAfterSeconds === undefined) this.options.logger.warn({ remoteAddress, reason: check.error }, 'RTMP publish refused');
      return { ok: false, reason: check.message };
    }
    if (this.options.publishers.get(check.stream.id)) {
      return { ok: false, reason: 'An encoder is already publishing to this stream.' };
    }
    return { ok: true, streamId: check.stream.id };
  };

  readonly publish = (session: PublishSession): boolean => {
    if (!this.options.publishers.claim(session)) return false;
    void this.start(session).catch((error: unknown) => {
      this.options.logger.warn({ err: error, streamId: session.streamId }, 'starting the stream pipeline failed');
      session.close();
    });
    return true;
  };

  readonly unpublish = (session: PublishSession, reason: UnpublishReason): void => {
    if (!this.options.publishers.release(session)) return;
    this.options.logger.info({ streamId: session.streamId, reason }, 'encoder disconnected');
    this.options.streams.encoderDisconnected(session.streamId).catch((error: unknown) => {
      this.options.logger.warn({ err: error, streamId: session.streamId }, 'recording the disconnect failed');
    });
  };

  async close(): Promise<void> {
    await Promise.all([...this.finishing]);
    await Promise.all([...this.transcoders.values()].map((transcoder) => transcoder.stop()));
    this.transcoders.clear();
    // A timer would not survive the restart: the windows go now rather than stay for good.
    for (const timer of this.endedWindows.values()) clearTimeout(timer);
    const ended = [...this.endedWindows.keys()];
    this.endedWindows.clear();
    await Promise.all(ended.map((streamId) => this.clearLiveWindow(streamId)));
  }

  private async start(session: PublishSession): Promise<void> {
    const stream = await this.options.streams.encoderConnected(session.streamId);
    // The window this node kept after an end or a handover is the stream's again.
    clearTimeout(this.endedWindows.get(stream.id));
    this.endedWindows.delete(stream.id);
    // Meanwhile the source's keyframes arrive; the window must be here before a transcoder continues it.
    const taking = this.options.holding.take(stream.id);
    const splicer = new FlvSplicer(session.flv);
    // A new transcoder needs the keyframe interval (one more keyframe of start-up); after a reconnect the ladder is set.
    const keyframes = this.transcoders.has(stream.id) ? 1 : 2;
    const soundOnly = splicer.soundWithoutPicture(SOUND_ONLY_SECONDS).then(() => {
      // An encoder that announces video but sends none waits (and is warned about) as before.
      if (session.stats().video !== null) return new Promise<void>(() => undefined);
    });
    const timeout = new Promise((resolve) => setTimeout(resolve, SOURCE_INFO_TIMEOUT_MS));
    await Promise.race([splicer.keyframesSeen(keyframes), soundOnly, timeout]);
    await taking;
    if (!this.options.publishers.holds(session)) return;

    const stats = session.stats();
    // What arrives decides, whatever the stream was created as: sound and no picture, announced or sent.
    const audioOnly = splicer.hasAudio && !splicer.hasVideo && stats.video === null;
    this.options.publishers.found(session, audioOnly ? 'audio' : 'video');
    this.options.onSource?.(stream.id, splicer);
    let transcoder = this.transcoders.get(stream.id);
    if (!transcoder) {
      const source = sourceInfo(stats, splicer);
      transcoder = this.createTranscoder(stream, source, audioOnly ? planAudioLadder(source) : planLadder(source, stream.quality));
      this.transcoders.set(stream.id, transcoder);
      if (stream.paused) await transcoder.pause();
    }
    await transcoder.attach(splicer);
  }

  private createTranscoder(stream: Stream, source: SourceInfo, plans: RenditionPlan[]): Transcoder {
    const transcoder = new Transcoder({
      streamId: stream.id,
      ffmpegPath: this.options.ffmpegPath,
      preset: this.options.preset,
      store: this.options.segments,
      record: stream.record,
      plans,
      fps: () => this.options.publishers.health(stream.id)?.video?.fps ?? source.fps,
      logger: this.options.logger,
      feeds: this.options.feeds,
      ...(this.options.feedOutputs && { feedOutputs: this.options.feedOutputs }),
    });
    transcoder.on('restarted', () => this.options.onTranscoderRestart());
    transcoder.once('thumbnail', () => {
      this.options.streams.thumbnailTaken(stream.id).catch((error: unknown) => {
        this.options.logger.warn({ err: error, streamId: stream.id }, 'recording that the stream has a thumbnail failed');
      });
    });
    transcoder.on('failed', (reason) => {
      this.options.logger.warn({ streamId: stream.id, reason }, 'transcoder gave up');
      this.options.publishers.get(stream.id)?.close();
      this.options.streams.failed(stream.id, reason).catch(() => undefined);
    });
    return transcoder;
  }

  /** Work `close` waits for; its failure is logged, never thrown. */
  private track(streamId: string, work: Promise<void>): void {
    const finished = work.catch((error: unknown) => {
      this.options.logger.warn({ err: error, streamId }, 'finishing the stream failed');
    });
    this.finishing.add(finished);
    void finished.then(() => this.finishing.delete(finished));
  }

  /**
   * The encoder left before Start: nothing was broadcast. The preview's transcoder (and its
   * thumbnailer, which would otherwise run ffmpeg every 30 s for good) and files go.
   */
  private async discardPreview(streamId: string): Promise<void> {
    const transcoder = this.transcoders.get(streamId);
    this.transcoders.delete(streamId);
    await transcoder?.stop();
    await this.options.segments.discard(streamId);
    await this.options.holding.leave(streamId);
    await this.options.streams.thumbnailDiscarded(streamId);
  }

  /**
   * The encoder reconnected to another node, which holds the stream now: the transcoder
   * waiting here for it stops. The window stays a while, for the requests already on their
   * way and a handover still copying it, then goes as an ended stream's does.
   */
  private async handedOver(streamId: string): Promise<void> {
    const transcoder = this.transcoders.get(streamId);
    this.transcoders.delete(streamId);
    await transcoder?.stop();
    this.clearLiveWindowLater(streamId);
  }

  /**
   * The stream is over: disconnect its encoder, stop ffmpeg, publish the recording. The
   * recording is joined from the parts on disk, whichever process's ffmpeg wrote them: after a
   * restart, or an end just after a reconnect, there is no transcoder here (yet) but there are parts.
   */
  private async finish(stream: Stream): Promise<void> {
    this.options.publishers.get(stream.id)?.close();
    const transcoder = this.transcoders.get(stream.id);
    this.transcoders.delete(stream.id);
    await transcoder?.stop();
    const url = `${this.options.publicUrl}${playbackPaths.recording(stream.id)}`;
    // A stream that failed and then ended is joined again (it may have recorded more since), announced once.
    if ((await finaliseRecording(this.options.segments.recordingDir(stream.id))) && stream.recordingUrl !== url) {
      await this.options.streams.recordingReady(stream.id, url);
    }
    if (stream.status === 'ended') this.clearLiveWindowLater(stream.id);
    else await this.clearLiveWindow(stream.id);
  }

  private async clearLiveWindow(streamId: string): Promise<void> {
    await this.options.segments.clearLiveWindow(streamId);
    await this.options.holding.leave(streamId);
  }

  private clearLiveWindowLater(streamId: string): void {
    clearTimeout(this.endedWindows.get(streamId));
    const timer = setTimeout(() => {
      this.endedWindows.delete(streamId);
      this.track(streamId, this.clearLiveWindow(streamId));
    }, ENDED_WINDOW_MS);
    timer.unref();
    this.endedWindows.set(streamId, timer);
  }
}

function sourceInfo(stats: IngestStatsSnapshot, splicer: FlvSplicer): SourceInfo {
  const avcConfig = splicer.avcConfig();
  return {
    videoCodec: stats.video?.codec ?? null,
    audioCodec: stats.audio?.codec ?? null,
    width: stats.video?.width ?? null,
    height: stats.video?.height ?? null,
    fps: stats.video?.fps ?? null,
    audioSampleRate: stats.audio?.sampleRate ?? null,
    audioProfile: stats.audio?.profile ?? null,
    audioKbps: stats.audio?.bitrateKbps ?? null,
    avcCodecs: avcConfig && avcConfig.length >= 4 ? `avc1.${avcConfig.subarray(1, 4).toString('hex')}` : null,
    bitrateKbps: stats.bitrateKbps,
    keyframeIntervalSeconds: stats.video?.keyframeIntervalSeconds ?? null,
    hasAudio: splicer.hasAudio,
  };
}
