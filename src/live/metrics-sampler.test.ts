import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openScratchStreams, type ScratchStreams } from '../../testkit/scratch.js';
import { createStreamRequestSchema } from '../protocol/stream-settings.js';
import { StreamState } from './stream-state.js';
import { MetricsRepository } from '../streams/metrics-repository.js';
import { MetricsSampler } from './metrics-sampler.js';
import type { StreamService } from '../streams/stream-service.js';
import type { Stream } from '../streams/stream.js';

const ALICE = 'a'.repeat(64);

let scratch: ScratchStreams;
let service: StreamService;
let metrics: MetricsRepository;
let sampler: MetricsSampler;
let state: StreamState;

beforeEach(async () => {
  scratch = await openScratchStreams();
  service = scratch.streams;
  metrics = new MetricsRepository(scratch.database.db);
  sampler = new MetricsSampler({
    repository: scratch.repository,
    metrics,
    servicePubkey: 'f'.repeat(64),
    logger: pino({ level: 'silent' }),
    // Samples are taken by hand here.
    intervalMs: 3_600_000,
    sources: { watchSeconds: () => 42, bufferingEvents: () => 0, bufferingSeconds: () => 0, qualitySwitches: () => 0, ingestKbps: () => 2500, chatMessages: async () => 0 },
  });
  state = new StreamState(service, pino({ level: 'silent' }));
  state.follow(sampler.reactions);
});

afterEach(async () => {
  sampler.close();
  await scratch.close();
});

async function liveStream(): Promise<Stream> {
  const { stream } = await service.create(ALICE, createStreamRequestSchema.parse({ title: 'Session', category: 'music' }));
  await service.encoderConnected(stream.id);
  return service.start(stream.id, ALICE);
}

describe('MetricsSampler', () => {
  it.each([
    ['ends', (stream: Stream) => service.stop(stream.id, ALICE)],
    ['fails', (stream: Stream) => service.failed(stream.id, 'transcoder gave up')],
  ])('writes a last sample when the stream %s', async (_name, finish) => {
    const stream = await liveStream();
    await sampler.sample();
    await finish(stream);
    await vi.waitFor(async () => expect(await metrics.samples(stream.id)).toHaveLength(2));
    const last = await metrics.latest(stream.id);
    expect(last).toMatchObject({ bitrate: 2500, watch_seconds: 42 });

    // Once over, the stream is not sampled again.
    await sampler.sample();
    expect(await metrics.samples(stream.id)).toHaveLength(2);
  });

  it('keeps the final figures even when the viewer sessions are forgotten in the same tick as the end', async () => {
    // As in the service: the origin forgets a stream's sessions on the same status event.
    let watching = 42;
    const forgetful = new MetricsSampler({
      repository: scratch.repository,
      metrics,
      servicePubkey: 'f'.repeat(64),
      logger: pino({ level: 'silent' }),
      intervalMs: 3_600_000,
      sources: { watchSeconds: () => watching, bufferingEvents: () => 0, bufferingSeconds: () => 0, qualitySwitches: () => 0, ingestKbps: () => 2500, chatMessages: async () => 0 },
    });
    state.follow(forgetful.reactions);
    state.follow({ ended: () => (watching = 0) });
    try {
      const stream = await liveStream();
      await service.stop(stream.id, ALICE);
      // The file's own sampler writes a final sample too: both must carry the figures.
      await vi.waitFor(async () => expect(await metrics.samples(stream.id)).toHaveLength(2));
      const samples = await metrics.samples(stream.id);
      expect(samples.map((sample) => sample.watch_seconds)).toEqual([42, 42]);
    } finally {
      forgetful.close();
    }
  });

  it('writes nothing for a stream that never went live', async () => {
    const { stream } = await service.create(ALICE, createStreamRequestSchema.parse({ title: 'Session', category: 'music' }));
    await service.encoderConnected(stream.id);
    await service.failed(stream.id, 'transcoder gave up');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await metrics.samples(stream.id)).toEqual([]);
  });
});
