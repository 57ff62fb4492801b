import { describe, expect, it } from 'vitest';
import { HANDSHAKE_SIZE, Handshake, HandshakeError } from './handshake.js';

const c1 = Buffer.from(Array.from({ length: HANDSHAKE_SIZE }, (_, index) => index & 0xff));

describe('Handshake', () => {
  it('answers C0+C1 with S0, a simple-handshake S1 and S2 echoing C1, then finishes on C2', () => {
    const handshake = new Handshake();
    const first = handshake.push(Buffer.concat([Buffer.from([3]), c1]));
    expect(first.done).toBe(false);
    const reply = first.reply ?? Buffer.alloc(0);
    expect(reply.length).toBe(1 + 2 * HANDSHAKE_SIZE);
    expect(reply[0]).toBe(3);
    expect(reply.subarray(1, 9).toString('hex')).toBe('0000000000000000'); // time 0, zero marker
    expect(reply.subarray(1 + HANDSHAKE_SIZE)).toEqual(c1);

    const second = handshake.push(Buffer.alloc(HANDSHAKE_SIZE));
    expect(second).toEqual({ reply: null, done: true, rest: Buffer.alloc(0) });
  });

  it('copes with any fragmentation and returns the bytes after C2', () => {
    const input = Buffer.concat([Buffer.from([3]), c1, Buffer.alloc(HANDSHAKE_SIZE, 9), Buffer.from('first chunk')]);
    for (const size of [1, 7, 1000, 1537, input.length]) {
      const handshake = new Handshake();
      let replies = 0;
      let rest = Buffer.alloc(0);
      for (let offset = 0; offset < input.length; offset += size) {
        const step = handshake.push(input.subarray(offset, offset + size));
        if (step.reply) replies += 1;
        if (step.done) rest = Buffer.concat([step.rest, input.subarray(offset + size)]);
        if (step.done) break;
      }
      expect(replies, `pieces of ${size}`).toBe(1);
      expect(rest.toString(), `pieces of ${size}`).toBe('first chunk');
    }
  });

  it('refuses other versions, with a hint for TLS', () => {
    expect(() => new Handshake().push(Buffer.concat([Buffer.from([6]), c1]))).toThrow(HandshakeError);
    expect(() => new Handshake().push(Buffer.concat([Buffer.from([0x16]), c1]))).toThrow(/rtmps/);
  });
});
