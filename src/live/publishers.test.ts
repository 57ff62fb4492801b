import { describe, expect, it } from 'vitest';
import { RtmpPublishSession } from '../ingest/rtmp/publish-session.js';
import { Publishers } from './publishers.js';

function session(streamId: string): RtmpPublishSession {
  return new RtmpPublishSession(streamId, '203.0.113.5', { close: () => undefined, pause: () => undefined, resume: () => undefined });
}

describe('Publishers', () => {
  it('holds one publisher per stream: a second is turned down until the first is released', () => {
    const publishers = new Publishers();
    const first = session('stream-1');
    const second = session('stream-1');
    expect(publishers.claim(first)).toBe(true);
    expect(publishers.claim(second)).toBe(false);
    expect(publishers.get('stream-1')).toBe(first);

    // Releasing the one that was turned down frees nothing.
    expect(publishers.release(second)).toBe(false);
    expect(publishers.holds(first)).toBe(true);

    expect(publishers.release(first)).toBe(true);
    expect(publishers.get('stream-1')).toBeUndefined();
    expect(publishers.claim(second)).toBe(true);
  });

  it('reads the live figures of the streams published here', () => {
    const publishers = new Publishers();
    publishers.claim(session('stream-1'));
    publishers.claim(session('stream-2'));
    expect([...publishers.ingestKbps().keys()]).toEqual(['stream-1', 'stream-2']);
    expect(publishers.health('stream-1')).toMatchObject({ bitrateKbps: null });
    expect(publishers.health('stream-3')).toBeUndefined();
    expect(publishers.all().map((held) => held.streamId)).toEqual(['stream-1', 'stream-2']);
  });
});
