/**
 * The relay ingest bench's publishers, in a worker thread of their own (relay-ingest.bench.ts):
 * framing thousands of EVENTs and reading their OKs on the relay's own thread took a share of
 * the very thread being measured. It answers each `{ url, events, connections }` it is sent
 * with `{ rate, cpuSeconds }`: the accepted events per second of that pass, and the CPU this
 * thread spent on it (so that the bench can leave the publishers' share out of the relay's).
 */
import { parentPort } from 'node:worker_threads';
import type { VerifiedEvent } from 'nostr-tools';
import { z } from 'zod';
import { acceptedPerSecond } from '../relay-kit.js';
import { threadCpuSeconds } from './process-cpu.js';

if (!parentPort) throw new Error('ingest-publishers.ts runs only as a worker thread');
const port = parentPort;
const passSchema = z.object({ url: z.string(), events: z.array(z.custom<VerifiedEvent>()), connections: z.number().int().positive() });

port.on('message', (message: unknown) => {
  const pass = passSchema.parse(message);
  const before = threadCpuSeconds();
  acceptedPerSecond(pass.url, pass.events, pass.connections).then(
    (rate) => port.postMessage({ rate, cpuSeconds: threadCpuSeconds() - before }),
    (error: unknown) => port.postMessage({ error: error instanceof Error ? error.message : String(error) }),
  );
});
port.postMessage('started');
