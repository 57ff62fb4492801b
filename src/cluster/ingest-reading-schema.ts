import { z } from 'zod';
import type { IngestReading } from '../live/publishers.js';
import { STREAM_TYPES } from '../protocol/stream-settings.js';

const figure = z.number().finite().nullable();

/**
 * An encoder's figures as another node sends them (its `Publishers.reading`): parsed, not
 * trusted, before the feed and the API show them.
 *
 *   const reading = ingestReadingSchema.safeParse(json);   // reading.data: IngestReading
 */
export const ingestReadingSchema: z.ZodType<IngestReading> = z.object({
  stats: z.object({
    uptimeSeconds: z.number().finite(),
    encoder: z.string().max(256).nullable(),
    bitrateKbps: figure,
    mediaBytes: z.number().finite(),
    video: z
      .object({
        codec: z.string().max(32),
        profile: z.string().max(64).nullable(),
        width: figure,
        height: figure,
        fps: figure,
        keyframeIntervalSeconds: figure,
        bitrateKbps: figure,
        frames: z.number().finite(),
        keyframes: z.number().finite(),
        lateFrames: z.number().finite(),
        droppedFrames: z.number().finite(),
      })
      .nullable(),
    audio: z
      .object({
        codec: z.string().max(32),
        profile: z.string().max(64).nullable(),
        sampleRate: figure,
        channels: figure,
        bitrateKbps: figure,
      })
      .nullable(),
  }),
  sending: z.enum(STREAM_TYPES).nullable(),
});
