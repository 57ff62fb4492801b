import type { Worker } from 'node:worker_threads';
import { finalizeEvent, generateSecretKey, getEventHash } from 'nostr-tools';
import { afterEach, describe, expect, it } from 'vitest';
import type { NostrEvent } from '../../protocol/nostr-event.js';
import { loadNativeSchnorr, type SignatureBackend } from './signature-backends.js';
import { spawnWorker, WorkerVerifier } from './worker-verifier.js';

/** A fresh copy, as the relay gets from JSON: nostr-tools' cached "verified" mark is gone. */
function signedEvent(): NostrEvent {
  const event = finalizeEvent({ kind: 1, created_at: Math.floor(Date.now() / 1000), tags: [], content: 'hi' }, generateSecretKey());
  return JSON.parse(JSON.stringify(event)) as NostrEvent;
}

/** CI installs libsecp256k1-dev and builds the addon (scripts/build-native.sh): there both backends are checked. */
const nativeBuilt = typeof loadNativeSchnorr() !== 'string';
const backends: SignatureBackend[] = nativeBuilt || process.env.CI ? ['native', 'wasm'] : ['wasm'];

it('picks the native backend where it is built, and says why when it falls back to WASM', async () => {
  const verifier = await WorkerVerifier.start(1);
  try {
    if (nativeBuilt) expect(verifier.ready).toEqual({ backend: 'native' });
    else expect(verifier.ready).toEqual({ backend: 'wasm', fallback: expect.stringContaining('npm run build:native') });
  } finally {
    await verifier.close();
  }
});

it('says how to build the addon when it cannot load it', () => {
  expect(loadNativeSchnorr(new URL('file:///nonexistent/schnorr_verify.node'))).toMatch(/^native\/schnorr-verify is not built .*; run npm run build:native$/);
});

describe.each(backends)('WorkerVerifier on %s', (backend) => {
  const started: Worker[] = [];
  const spawn = async () => {
    const thread = await spawnWorker(backend);
    started.push(thread.worker);
    return thread;
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
    // The id is right for this pubkey, but no point on the curve has it as x (p + 1 is past the field).
    const offCurve = { ...good, pubkey: 'f'.repeat(64) };
    expect(await verifier.verify({ ...offCurve, id: getEventHash(offCurve) })).toBe('bad-signature');
    expect(verifier.ready.backend).toBe(backend);
  });

  it('reads the id over NIP-01\'s serialisation, escapes and all', async () => {
    verifier = await WorkerVerifier.start(1, spawn);
    const secret = generateSecretKey();
    const awkward = finalizeEvent(
      { kind: 1311, created_at: 1_700_000_000, tags: [['a', '30311:ab:c"d'], ['t', 'ünï\u2028']], content: 'line\nbreak "quoted" \\ tab\t 🎵 \u0001' },
      secret,
    );
    expect(await verifier.verify(JSON.parse(JSON.stringify(awkward)) as NostrEvent)).toBe('valid');
    expect(await verifier.verify({ ...(JSON.parse(JSON.stringify(awkward)) as NostrEvent), tags: [['a', '30311:ab:c"d']] })).toBe('bad-id');
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
