import { PassThrough, Writable, type Readable } from 'node:stream';
import { readAudioTag, readVideoTag } from '../ingest/media/flv-media.js';
import { encodeFlvHeader, encodeFlvTag, FlvTagType, type FlvTagTypeId } from '../ingest/rtmp/flv.js';

const FLV_HEADER_SIZE = 13;
const TAG_HEADER_SIZE = 11;
/** About 10 s at 6 Mbit/s: past it, a new output waits for the next keyframe instead. */
const MAX_GOP_BYTES = 8 * 1024 * 1024;
/** A tap this far behind (about 5 s at 6 Mbit/s) drops media until it has caught up and a keyframe comes. */
const TAP_BEHIND_BYTES = 4 * 1024 * 1024;
const TAP_CAUGHT_UP_BYTES = 1024 * 1024;

interface Tag {
  readonly type: FlvTagTypeId;
  readonly timestamp: number;
  readonly body: Buffer;
}

interface Output {
  readonly stream: PassThrough;
  started: boolean;
  base: number;
  /** A tap: never slows the publisher; while `behind`, its media is dropped. */
  readonly lossy: boolean;
  behind: boolean;
}

/**
 * Cuts a live FLV stream so that a new ffmpeg can join it at any time: each output starts
 * with a fresh FLV header, the latest metadata and decoder configurations, then the media
 * from the last video keyframe (the group of pictures since it is kept), with timestamps
 * starting at zero. That is what lets the transcoder restart after a crash, or come back from
 * the pause slate, mid-stream, without waiting up to a keyframe interval for the next one.
 *
 *   const splicer = new FlvSplicer(session.flv);
 *   const input = splicer.output();   // pipe into ffmpeg's stdin
 *   splicer.detach();                 // between outputs (pause): tags are read and dropped
 *   const copy = splicer.tap();       // another output (forwarding) that drops rather than waits
 */
export class FlvSplicer {
  private pending: Buffer = Buffer.alloc(0);
  private headerSkipped = false;
  private metadata: Tag | undefined;
  private videoConfig: Tag | undefined;
  private audioConfig: Tag | undefined;
  private current: Output | undefined;
  private readonly taps = new Set<Output>();
  private readonly keyframeWaiters: { count: number; resolve: () => void }[] = [];
  private keyframes = 0;
  private ended = false;
  private videoSeen = false;
  private firstAudio: number | undefined;
  private readonly soundWaiters: { seconds: number; resolve: () => void }[] = [];
  private soundOnly = false;
  /** Media tags from the last video keyframe on: where a new output starts. */
  private gop: Tag[] = [];
  private gopBytes = 0;

  constructor(input: Readable) {
    const sink = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        this.push(chunk);
        // Backpressure from a slow ffmpeg reaches the publisher's socket through here.
        const output = this.current?.stream;
        if (output && output.writableNeedDrain) output.once('drain', () => done());
        else done();
      },
      final: (done) => {
        this.ended = true;
        for (const waiter of [...this.keyframeWaiters.splice(0), ...this.soundWaiters.splice(0)]) waiter.resolve();
        this.current?.stream.end();
        for (const tap of this.taps) tap.stream.end();
        this.taps.clear();
        done();
      },
    });
    input.pipe(sink);
  }

  /**
   * Resolves once `count` video keyframes have arrived (or the publisher left): at the
   * first the decoder configurations are known, at the second the keyframe interval.
   */
  keyframesSeen(count: number): Promise<void> {
    if (this.keyframes >= count || this.ended) return Promise.resolve();
    return new Promise((resolve) => this.keyframeWaiters.push({ count, resolve }));
  }

  /**
   * Resolves once `seconds` of sound have arrived with no video tag before them (or the
   * publisher left): what tells an audio-only encoder from one whose picture is late.
   */
  soundWithoutPicture(seconds: number): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise((resolve) => this.soundWaiters.push({ seconds, resolve }));
  }

  /** Whether any video tag has arrived. */
  get hasVideo(): boolean {
    return this.videoSeen;
  }

  /**
   * Outputs start on the next audio frame instead of a video keyframe, with an audio-only
   * FLV header: for a stream whose ladder is sound only.
   */
  startOnSound(): void {
    this.soundOnly = true;
  }

  /** The AVC decoder configuration record, for the playlist's CODECS attribute. */
  avcConfig(): Buffer | undefined {
    return this.videoConfig ? readVideoTag(this.videoConfig.body)?.config ?? undefined : undefined;
  }

  /** Any audio tag: MP3 has no decoder config, its frames are all there is. */
  get hasAudio(): boolean {
    return this.audioConfig !== undefined || this.firstAudio !== undefined;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** A new FLV stream for a new ffmpeg; the previous output, if any, ends. */
  output(): Readable {
    this.detach();
    const stream = new PassThrough({ highWaterMark: 1 << 20 });
    if (this.ended) {
      stream.end();
      return stream;
    }
    this.current = this.open(stream, false);
    return stream;
  }

  /**
   * A further output of the same media, for as long as the reader wants it (destroy it to
   * stop): backpressure from it never reaches the publisher, so a slow reader cannot hold up
   * the transcoder. A reader that falls behind loses media up to the next keyframe instead.
   */
  tap(): Readable {
    const stream = new PassThrough({ highWaterMark: 1 << 20 });
    if (this.ended) {
      stream.end();
      return stream;
    }
    const tap = this.open(stream, true);
    this.taps.add(tap);
    stream.once('close', () => this.taps.delete(tap));
    return stream;
  }

  private open(stream: PassThrough, lossy: boolean): Output {
    const output: Output = { stream, started: false, base: 0, lossy, behind: false };
    const [keyframe] = this.gop;
    if (keyframe && !this.soundOnly) {
      this.start(output, keyframe.timestamp);
      for (const tag of this.gop) this.write(output, tag);
    }
    return output;
  }

  /** Ends the current output; the publisher's media keeps being read and dropped. */
  detach(): void {
    this.current?.stream.end();
    this.current = undefined;
  }

  private push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let offset = 0;
    if (!this.headerSkipped) {
      if (this.pending.length < FLV_HEADER_SIZE) return;
      offset = FLV_HEADER_SIZE;
      this.headerSkipped = true;
    }
    while (this.pending.length - offset >= TAG_HEADER_SIZE) {
      const size = this.pending.readUIntBE(offset + 1, 3);
      const total = TAG_HEADER_SIZE + size + 4;
      if (this.pending.length - offset < total) break;
      const type = (this.pending[offset] ?? 0) & 0x1f;
      const timestamp = this.pending.readUIntBE(offset + 4, 3) | ((this.pending[offset + 7] ?? 0) << 24);
      const body = this.pending.subarray(offset + TAG_HEADER_SIZE, offset + TAG_HEADER_SIZE + size);
      if (type === FlvTagType.Audio || type === FlvTagType.Video || type === FlvTagType.Script) {
        this.tag({ type, timestamp: timestamp >>> 0, body: Buffer.from(body) });
      }
      offset += total;
    }
    this.pending = this.pending.subarray(offset);
  }

  private tag(tag: Tag): void {
    let keyframe = false;
    if (tag.type === FlvTagType.Script) {
      this.metadata = tag;
      return;
    }
    if (tag.type === FlvTagType.Video) {
      this.videoSeen = true;
      const video = readVideoTag(tag.body);
      if (video?.kind === 'config') {
        this.videoConfig = tag;
        this.forward(tag);
        return;
      }
      keyframe = video?.kind === 'frame' && video.keyframe;
      if (keyframe) {
        this.countKeyframe();
        this.gop = [];
        this.gopBytes = 0;
      }
    } else if (readAudioTag(tag.body)?.kind === 'config') {
      this.audioConfig = tag;
      this.forward(tag);
      return;
    } else {
      this.soundArrived(tag.timestamp);
    }
    this.keep(tag, keyframe);
    if (this.current) this.deliver(this.current, tag, keyframe);
    for (const tap of this.taps) this.deliver(tap, tag, keyframe);
  }

  private deliver(output: Output, tag: Tag, keyframe: boolean): void {
    if (!output.started) {
      if (!(this.soundOnly ? tag.type === FlvTagType.Audio : keyframe)) return;
      this.start(output, tag.timestamp);
    }
    if (output.lossy && !this.keepsUp(output, keyframe)) return;
    this.write(output, tag);
  }

  /** Whether a tap takes this tag: one far behind skips media until it has caught up and a keyframe comes. */
  private keepsUp(output: Output, keyframe: boolean): boolean {
    const buffered = output.stream.writableLength;
    if (output.behind) {
      if (!(keyframe || this.soundOnly) || buffered > TAP_CAUGHT_UP_BYTES) return false;
      output.behind = false;
      return true;
    }
    if (buffered > TAP_BEHIND_BYTES) output.behind = true;
    return !output.behind;
  }

  private keep(tag: Tag, keyframe: boolean): void {
    if (!keyframe && this.gop.length === 0) return;
    this.gop.push(tag);
    this.gopBytes += tag.body.length;
    // An encoder with keyframes far apart (or none after the first) would make this grow without end.
    if (this.gopBytes > MAX_GOP_BYTES) {
      this.gop = [];
      this.gopBytes = 0;
    }
  }

  private countKeyframe(): void {
    this.keyframes += 1;
    for (const waiter of this.keyframeWaiters.filter((waiting) => waiting.count <= this.keyframes)) {
      this.keyframeWaiters.splice(this.keyframeWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  private soundArrived(timestamp: number): void {
    this.firstAudio ??= timestamp;
    if (this.videoSeen) return;
    const seconds = (timestamp - this.firstAudio) / 1000;
    for (const waiter of this.soundWaiters.filter((waiting) => waiting.seconds <= seconds)) {
      this.soundWaiters.splice(this.soundWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  private start(output: Output, timestamp: number): void {
    output.started = true;
    output.base = timestamp;
    output.stream.write(encodeFlvHeader({ video: !this.soundOnly }));
    for (const init of [this.metadata, this.videoConfig, this.audioConfig]) {
      if (init) output.stream.write(encodeFlvTag(init.type, 0, init.body));
    }
  }

  /** Decoder configurations: to every started output, even a tap that is behind. */
  private forward(tag: Tag): void {
    for (const output of [this.current, ...this.taps]) {
      if (output?.started) this.write(output, tag);
    }
  }

  private write(output: Output, tag: Tag): void {
    output.stream.write(encodeFlvTag(tag.type, Math.max(0, tag.timestamp - output.base), tag.body));
  }
}
