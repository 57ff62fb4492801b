import type { Logger } from 'pino';
import type { Component } from '../component.js';
import { RtmpServer, type RtmpLimits } from '../ingest/rtmp/rtmp-server.js';
import { LivePipeline, type LivePipelineOptions } from './live-pipeline.js';
import type { StreamState } from './stream-state.js';

export interface LiveServiceOptions extends LivePipelineOptions {
  readonly logger: Logger;
  readonly state: StreamState;
  readonly rtmp: { readonly port: number; readonly host: string; readonly limits: Partial<RtmpLimits> };
}

/**
 * The broadcast side of the service: the built-in RTMP ingest, listening, feeding the live
 * pipeline. Closing it disconnects every encoder, stops ffmpeg, and stops the stream
 * service's timers: a grace period that has not run out by then is picked up at the next start.
 *
 *   const live = await startLive(options);
 *   await live.close();
 */
export async function startLive(options: LiveServiceOptions): Promise<Component> {
  const pipeline = new LivePipeline(options);
  options.state.lead(pipeline.reactions);
  const rtmp = new RtmpServer({
    authorize: pipeline.authorize,
    publish: pipeline.publish,
    unpublish: pipeline.unpublish,
    logger: options.logger,
    limits: options.rtmp.limits,
  });
  const close = async (): Promise<void> => {
    await rtmp.close();
    await pipeline.close();
    options.streams.close();
  };
  try {
    await rtmp.listen(options.rtmp.port, options.rtmp.host);
  } catch (error) {
    await close();
    throw error;
  }
  return { close };
}
