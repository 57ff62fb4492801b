/**
 * The relay ingest bench's publishers, in a worker thread of their own (relay-ingest.bench.ts):
 * framing thousands of EVENTs and reading their OKs on the relay's own thread took a share of
 * the very thread being measured. It answers each `{ url, events, connections }` it is sent
 * with `{ rate }`, the accepted events per second of that pass.
 */
import { parentPort } from 'node:worker_threads';
import type { VerifiedEvent } from 'nostr-tools';
import { z } from 'zod';
import { acceptedPerSecond } from '../relay-kit.js';

if (!parentPort) throw new Error('ingest-publishers.ts runs only as a worker thread');
const port = parentPort;
const passSchema = z.object({ url: z.string(), events: z.array(z.custom<VerifiedEvent>()), connections: z.number().int().positive() });

port.on('message', (message: unknown) => {
  const pass = passSchema.parse(message);
  acceptedPerSecond(pass.url, pass.events, pass.connections).then(
    (rate) => port.postMessage({ rate }),
    (error: unknown) => port.postMessage({ error: error instanceof Error ? error.message : String(error) }),
  );
});
port.postMessage('started');
