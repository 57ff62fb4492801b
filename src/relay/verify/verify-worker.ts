import { parentPort } from 'node:worker_threads';
import { initNostrWasm } from 'nostr-wasm';
import type { NostrEvent } from '../../protocol/nostr-event.js';

/** Runs in a worker thread: verifies batches of events with libsecp256k1 compiled to WASM. */
export interface VerifyRequest {
  readonly seq: number;
  readonly events: readonly NostrEvent[];
}

export interface VerifyResponse {
  readonly seq: number;
  readonly results: readonly boolean[];
}

const port = parentPort;
if (!port) throw new Error('verify-worker must run as a worker thread');

const nostr = await initNostrWasm();
port.on('message', ({ seq, events }: VerifyRequest) => {
  const results = events.map((event) => {
    try {
      // Checks that the id is the event's hash and that the signature is the pubkey's.
      nostr.verifyEvent(event);
      return true;
    } catch {
      return false;
    }
  });
  port.postMessage({ seq, results } satisfies VerifyResponse);
});
port.postMessage('ready');
