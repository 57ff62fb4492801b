import type { Worker } from 'node:worker_threads';
import { finalizeEvent, generateSecretKey } from 'nostr-tools';
import { afterEach, describe, expect, it } from 'vitest';
import type { NostrEvent } from '../../protocol/nostr-event.js';
import { spawnWorker, WorkerVerifier } from './worker-verifier.js';

/** A fresh copy, as the relay gets from JSON: nostr-tools' cached "verified" mark is gone. */
function signedEvent(): NostrEvent {
  const event = finalizeEvent({ kind: 1, created_at: Math.floor(Date.now() / 1000), tags: [], content: 'hi' }, generateSecretKey());
  return JSON.parse(JSON.stringify(event)) as NostrEvent;
}

describe('WorkerVerifier', () => {
  const started: Worker[] = [];
  const spawn = async () => {
    const worker = await spawnWorker();
    started.push(worker);
    return worker;
  };
  let verifier: WorkerVerifier | undefined;
  afterEach(async () => {
    await verifier?.close();
    started.length = 0;
  });

  it('verifies good signatures and says which check a forged event fails', async () => {
    verifier = await WorkerVerifier.start(1, spawn);
    const good = signedEvent();
    const other = signedEvent();
    expect(await verifier.verify(good)).toBe('valid');
    expect(await verifier.verify({ ...good, content: 'changed' })).toBe('bad-id');
    expect(await verifier.verify({ ...good, sig: other.sig })).toBe('bad-signature');
  });

  it('shares a burst between its threads, each event answered for itself', async () => {
    verifier = await WorkerVerifier.start(2, spawn);
    const events = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? { ...signedEvent(), content: 'forged' } : signedEvent()));
    const outcomes = await Promise.all(events.map((event) => verifier?.verify(event)));
    expect(outcomes).toEqual(events.map((_, i) => (i % 3 === 0 ? 'bad-id' : 'valid')));
  });

  it('fails the callers of a thread that dies instead of leaving them waiting, and replaces the thread', async () => {
    verifier = await WorkerVerifier.start(1, spawn);
    const pending = verifier.verify(signedEvent());
    // Dies before it can answer: terminated now, it exits while the batch (posted on the next tick) is with it.
    // (Killed a tick later, a fast thread could answer first on a loaded machine.)
    void started[0]?.terminate();
    await expect(pending).rejects.toThrow(/exited|unavailable/);

    // Until the replacement is up, callers are told at once; then verification works again.
    const deadline = Date.now() + 10_000;
    let result: string | undefined;
    while (result === undefined && Date.now() < deadline) {
      result = await verifier.verify(signedEvent()).catch(() => undefined);
      if (result === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(result).toBe('valid');
    expect(started).toHaveLength(2);
  });
});
