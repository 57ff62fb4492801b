import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openScratchStreams, type ScratchStreams } from '../../testkit/scratch.js';
import { KeyAttemptLimiter } from '../abuse/key-attempts.js';
import { createStreamRequestSchema } from '../protocol/stream-settings.js';
import type { StreamService } from '../streams/stream-service.js';
import { PublishGate } from './publish-gate.js';

const ALICE = 'a'.repeat(64);
const WRONG_KEY = `wlk_live_${'0f'.repeat(16)}`;

let scratch: ScratchStreams;
let service: StreamService;
let gate: PublishGate;

beforeEach(async () => {
  scratch = await openScratchStreams();
  service = scratch.streams;
  gate = new PublishGate(service, new KeyAttemptLimiter({ maxFailures: 3, windowMs: 600_000 }));
});

afterEach(() => scratch.close());

async function newStream(): Promise<{ id: string; key: string }> {
  const { stream, streamKey } = await service.create(ALICE, createStreamRequestSchema.parse({ title: 'Gate', category: 'music' }));
  return { id: stream.id, key: streamKey };
}

describe('PublishGate', () => {
  it('lets the current key of a stream in', async () => {
    const { id, key } = await newStream();
    expect(await gate.check(key, '203.0.113.5')).toMatchObject({ ok: true, stream: { id } });
  });

  it('refuses an unknown key with what to do, and never echoes it', async () => {
    const check = await gate.check(WRONG_KEY, '203.0.113.5');
    expect(check).toEqual({
      ok: false,
      error: 'invalid_stream_key',
      message: 'Unknown stream key: copy the current key from your stream page into OBS.',
    });
  });

  it('refuses the key of an ended stream without counting it as a guess', async () => {
    const { id, key } = await newStream();
    await service.stop(id, ALICE);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect(await gate.check(key, '203.0.113.5')).toMatchObject({ ok: false, error: 'stream_ended' });
    }
  });

  it('locks an address out after repeated wrong keys, even for a right key, and only that address', async () => {
    const { key } = await newStream();
    for (let attempt = 0; attempt < 3; attempt += 1) await gate.check(WRONG_KEY, '203.0.113.5');

    const locked = await gate.check(key, '203.0.113.5');
    expect(locked).toMatchObject({ ok: false, error: 'too_many_attempts' });
    if (locked.ok) throw new Error('unreachable');
    expect(locked.retryAfterSeconds).toBeGreaterThan(590);
    expect(locked.message).toBe(`Too many wrong stream keys from this address; try again in ${locked.retryAfterSeconds} s.`);

    expect(await gate.check(key, '198.51.100.7')).toMatchObject({ ok: true });
  });
});
