import { parentPort, workerData } from 'node:worker_threads';
import { z } from 'zod';
import type { NostrEvent } from '../../protocol/nostr-event.js';
import type { VerifyOutcome } from './event-verifier.js';
import { eventCheck, SIGNATURE_BACKENDS, type SignatureBackend } from './signature-backends.js';

/** Runs in a worker thread: verifies batches of events with libsecp256k1, native or compiled to WASM. */
export interface VerifyRequest {
  readonly seq: number;
  readonly events: readonly NostrEvent[];
}

export interface VerifyResponse {
  readonly seq: number;
  readonly results: readonly VerifyOutcome[];
}

/** The first message a verifier thread sends: which backend it checks with, and why it fell back to WASM if it did. */
export interface VerifierReady {
  readonly backend: SignatureBackend;
  readonly fallback?: string;
}

/** What the thread is started with: the backend to use, or none for native where it is built. */
const verifierOptionsSchema = z.object({ backend: z.enum(SIGNATURE_BACKENDS).optional() }).optional();

const port = parentPort;
if (!port) throw new Error('verify-worker must run as a worker thread');

const { check, backend, fallback } = await eventCheck(verifierOptionsSchema.parse(workerData)?.backend);
port.on('message', ({ seq, events }: VerifyRequest) => {
  port.postMessage({ seq, results: events.map(check) } satisfies VerifyResponse);
});
port.postMessage({ backend, ...(fallback !== undefined && { fallback }) } satisfies VerifierReady);
