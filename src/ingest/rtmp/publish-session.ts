import { Readable } from 'node:stream';
import { IngestStats, type IngestStatsSnapshot } from '../ingest-stats.js';
import { amf0Properties, decodeAmf0 } from './amf0.js';
import { FlvTagType, encodeFlvHeader, encodeFlvTag, type FlvTagTypeId } from './flv.js';

/**
 * One accepted publish, as the rest of the service sees it: which stream, from where, its
 * media as an FLV byte stream (for ffmpeg's stdin), live figures, and a way to end it.
 *
 *   server = new RtmpServer({ authorize, logger, publish: (session) => {
 *     session.flv.pipe(transcoder.stdin);
 *     return true;
 *   } });
 */
export interface PublishSession {
  readonly streamId: string;
  readonly remoteAddress: string;
  /**
   * FLV header, onMetaData and every audio/video tag, in arrival order. Read it: when it
   * is not read, the server stops reading the publisher's socket (TCP backpressure).
   * It ends when the publish ends.
   */
  readonly flv: Readable;
  stats(): IngestStatsSnapshot;
  /** Ends the publish and the publisher's connection (e.g. the stream was stopped). */
  close(): void;
}

/** What the publish needs from the connection beneath it. */
export interface PublishControl {
  close(): void;
  pause(): void;
  resume(): void;
}

/** Publishers send whole GOPs faster than real time at start; 1 MiB absorbs that without pausing them. */
const FLV_HIGH_WATER_MARK = 1 << 20;

export class RtmpPublishSession implements PublishSession {
  readonly flv: Readable;
  private readonly ingestStats = new IngestStats();
  private ended = false;

  constructor(
    readonly streamId: string,
    readonly remoteAddress: string,
    private readonly control: PublishControl,
  ) {
    this.flv = new Readable({ highWaterMark: FLV_HIGH_WATER_MARK, read: () => control.resume() });
    this.flv.push(encodeFlvHeader());
  }

  stats(): IngestStatsSnapshot {
    return this.ingestStats.snapshot();
  }

  close(): void {
    this.control.close();
  }

  /**
   * A script tag body (`onMetaData, {…}`); its properties feed the stats. Written at time 0
   * whenever it comes: ffmpeg reads onMetaData at time 0 as metadata, and at any other time
   * as a stream of text packets. Throws `Amf0Error` on bad AMF.
   */
  metadata(body: Buffer): void {
    const properties = amf0Properties(decodeAmf0(body)[1] ?? null);
    if (properties) this.ingestStats.metadata(properties);
    this.write(FlvTagType.Script, 0, body);
  }

  audio(timestamp: number, data: Buffer): void {
    if (data.length === 0) return;
    this.ingestStats.audio(timestamp, data);
    this.write(FlvTagType.Audio, timestamp, data);
  }

  video(timestamp: number, data: Buffer): void {
    if (data.length === 0) return;
    this.ingestStats.video(timestamp, data);
    this.write(FlvTagType.Video, timestamp, data);
  }

  /** The publish is over: the FLV stream ends after what it holds. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.flv.destroyed) this.flv.push(null);
  }

  private write(type: FlvTagTypeId, timestamp: number, data: Buffer): void {
    // A reader that destroyed the stream wants no more; dropping beats stalling the publisher.
    if (this.ended || this.flv.destroyed) return;
    if (!this.flv.push(encodeFlvTag(type, timestamp, data))) this.control.pause();
  }
}
