import { H264Packetizer, OpusPacketizer, parseAvcDecoderConfigurationRecord, type MediaStreamTrack, type RtpPacket } from 'werift';
import type { FeedFragment } from '../packager/media-feeds.js';
import type { TrackInfo } from '../packager/fragment-info.js';
import { avcConfiguration, fragmentSamples, type Sample } from './fragment-samples.js';

const VIDEO_CLOCK = 90_000;
const OPUS_CLOCK = 48_000;

/** Where the packets go: a werift MediaStreamTrack (its sender), or a test's list. */
export type RtpSink = Pick<MediaStreamTrack, 'writeRtp'>;

interface Packetizing {
  readonly init: Buffer;
  readonly track: TrackInfo;
  readonly packetize: (sample: Sample, rtpTimestamp: number) => RtpPacket[];
}

/**
 * Turns one feed's fragments into RTP on a werift track: H.264 (RFC 6184, packetization-mode 1,
 * SPS/PPS from the init segment before each keyframe) or Opus, one packet per sample. A viewer
 * starts on a keyframe; RTP timestamps and sequence numbers run on across ffmpeg restarts (a new
 * run starts its media clock over, the browser's jitter buffer must not see time go back).
 *
 *   const video = new FeedTrack('video', werifTrack);
 *   feeds.subscribe(streamId, '720p', (fragment) => video.send(fragment));
 */
export class FeedTrack {
  private packetizing: Packetizing | undefined;
  private run: number | undefined;
  /** RTP time = this + media time in RTP units; moved at each new run. */
  private timestampBase = 0;
  private nextTimestamp: number | undefined;
  private nextSequence = Math.floor(Math.random() * 0x1_0000);
  private started = false;

  constructor(
    private readonly kind: 'video' | 'audio',
    private readonly output: RtpSink,
  ) {}

  send(fragment: FeedFragment): void {
    const track = fragment.tracks.find((candidate) => candidate.kind === this.kind);
    if (!track) return;
    const samples = fragmentSamples(fragment.moof, fragment.mdat, track);
    const first = samples[0];
    if (!first) return;
    if (!this.started) {
      if (this.kind === 'video' && !first.sync) return;
      this.started = true;
    }
    if (fragment.run !== this.run) {
      // The new run starts where the last one would have gone on: no jump back, no long gap.
      this.run = fragment.run;
      this.timestampBase = (this.nextTimestamp ?? Math.floor(Math.random() * 0x1_0000_0000)) - this.rtpUnits(first.decodeTime, track);
    }
    if (this.packetizing?.init !== fragment.init) this.packetizing = this.packetizerFor(fragment.init, track);
    for (const sample of samples) {
      const timestamp = (this.timestampBase + this.rtpUnits(sample.decodeTime, track)) >>> 0;
      for (const packet of this.packetizing.packetize(sample, timestamp)) {
        this.output.writeRtp(packet);
        this.nextSequence = (packet.header.sequenceNumber + 1) & 0xffff;
      }
      this.nextTimestamp = timestamp + this.rtpUnits(sample.duration, track);
    }
  }

  private rtpUnits(mediaTime: number, track: TrackInfo): number {
    return Math.round((mediaTime * (this.kind === 'video' ? VIDEO_CLOCK : OPUS_CLOCK)) / track.timescale);
  }

  private packetizerFor(init: Buffer, track: TrackInfo): Packetizing {
    // The sender sets the negotiated payload type and its SSRC on every packet.
    if (this.kind === 'audio') {
      const opus = new OpusPacketizer({ sequenceNumber: this.nextSequence });
      return { init, track, packetize: (sample, timestamp) => opus.packetize(sample.data, timestamp) };
    }
    const avc = parseAvcDecoderConfigurationRecord(avcConfiguration(init, track.id));
    const h264 = new H264Packetizer({
      sequenceNumber: this.nextSequence,
      naluLengthSize: avc.naluLengthSize,
      inputFormat: 'length-prefixed',
      parameterSets: avc.parameterSets,
    });
    return { init, track, packetize: (sample, timestamp) => h264.packetize(sample.data, timestamp, { isKeyframe: sample.sync }) };
  }
}
