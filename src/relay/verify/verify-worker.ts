import { parentPort } from 'node:worker_threads';
import { initNostrWasm } from 'nostr-wasm';
import type { NostrEvent } from '../../protocol/nostr-event.js';
import type { VerifyOutcome } from './event-verifier.js';

/** Runs in a worker thread: verifies batches of events with libsecp256k1 compiled to WASM. */
export interface VerifyRequest {
  readonly seq: number;
  readonly events: readonly NostrEvent[];
}

export interface VerifyResponse {
  readonly seq: number;
  readonly results: readonly VerifyOutcome[];
}

const port = parentPort;
if (!port) throw new Error('verify-worker must run as a worker thread');

const nostr = await initNostrWasm();
port.on('message', ({ seq, events }: VerifyRequest) => {
  const results = events.map((event): VerifyOutcome => {
    try {
      // Checks that the id is the event's hash and that the signature is the pubkey's: the
      // hash is computed here only, not on the main thread as well.
      nostr.verifyEvent(event);
      return 'valid';
    } catch (error) {
      // nostr-wasm checks the id first and says so in its message ('id is invalid').
      return error instanceof Error && error.message.startsWith('id ') ? 'bad-id' : 'bad-signature';
    }
  });
  port.postMessage({ seq, results } satisfies VerifyResponse);
});
port.postMessage('ready');
