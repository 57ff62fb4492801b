import { describe, expect, it } from 'vitest';
import { ByteQueue } from './byte-queue.js';

describe('ByteQueue', () => {
  it('reads across the buffers data arrived in, without losing or repeating a byte', () => {
    const queue = new ByteQueue();
    for (const piece of ['ab', '', 'cde', 'f', 'ghij']) queue.push(Buffer.from(piece));
    expect(queue.length).toBe(10);
    expect(queue.byteAt(5)).toBe('f'.charCodeAt(0));
    expect(queue.peek(4).toString()).toBe('abcd');
    expect(queue.read(1).toString()).toBe('a');
    expect(queue.read(5).toString()).toBe('bcdef');
    const target = Buffer.alloc(6, '.');
    queue.copyTo(target, 1, 4);
    expect(target.toString()).toBe('.ghij.');
    queue.skip(1);
    expect(queue.drain().toString()).toBe('hij');
    expect(queue.length).toBe(0);
  });

  it('returns a view, not a copy, when the bytes sit in one buffer', () => {
    const data = Buffer.from('hello');
    const queue = new ByteQueue();
    queue.push(data);
    queue.skip(1);
    expect(queue.peek(3).buffer).toBe(data.buffer);
  });

  it('refuses to read past what it holds', () => {
    const queue = new ByteQueue();
    queue.push(Buffer.from('ab'));
    expect(() => queue.peek(3)).toThrow(RangeError);
    expect(() => queue.skip(3)).toThrow(RangeError);
    expect(() => queue.byteAt(2)).toThrow(RangeError);
  });
});
