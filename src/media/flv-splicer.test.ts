import { PassThrough, type Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { encodeFlvHeader, encodeFlvTag, FlvTagType } from '../ingest/rtmp/flv.js';
import { FlvSplicer } from './flv-splicer.js';

/** An AVC picture tag's body of `size` bytes: keyframe or not. */
const picture = (keyframe: boolean, size: number) => Buffer.concat([Buffer.from([keyframe ? 0x17 : 0x27, 0x01, 0, 0, 0]), Buffer.alloc(size)]);

/** Reads a stream as it comes, counting bytes. */
function drain(stream: Readable): { bytes: number } {
  const seen = { bytes: 0 };
  stream.on('data', (chunk: Buffer) => (seen.bytes += chunk.length));
  return seen;
}

describe('FlvSplicer taps', () => {
  it('never hold up the main output: a tap nobody reads drops media past its limit while the main output gets everything', async () => {
    const input = new PassThrough();
    const splicer = new FlvSplicer(input);
    const main = drain(splicer.output());
    const stalled = splicer.tap();
    input.write(encodeFlvHeader());
    const frames = 400;
    // 400 × 64 KiB = 25 MiB, a keyframe every 30: far more than a tap may hold.
    for (let n = 0; n < frames; n += 1) {
      if (!input.write(encodeFlvTag(FlvTagType.Video, n * 33, picture(n % 30 === 0, 64 * 1024)))) await new Promise((resolve) => input.once('drain', resolve));
    }
    input.end();
    await new Promise((resolve) => setImmediate(resolve));
    expect(main.bytes).toBeGreaterThan(frames * 64 * 1024);
    expect(stalled.readableLength + (stalled as PassThrough).writableLength).toBeLessThan(6 * 1024 * 1024);
  });

  it('give a reader that keeps up the same media as the main output, from a keyframe', async () => {
    const input = new PassThrough();
    const splicer = new FlvSplicer(input);
    input.write(encodeFlvHeader());
    input.write(encodeFlvTag(FlvTagType.Video, 0, picture(false, 10)));
    const main = drain(splicer.output());
    const tap = drain(splicer.tap());
    for (let n = 1; n <= 60; n += 1) input.write(encodeFlvTag(FlvTagType.Video, n * 33, picture(n % 30 === 0, 100)));
    input.end();
    await new Promise((resolve) => setImmediate(resolve));
    expect(tap.bytes).toBeGreaterThan(0);
    expect(tap.bytes).toBe(main.bytes);
  });
});
