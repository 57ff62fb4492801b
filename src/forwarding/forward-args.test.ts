import { describe, expect, it } from 'vitest';
import { failureReason, forwardArgs } from './forward-args.js';

describe('the forwarding ffmpeg', () => {
  it('copies (never re-encodes) FLV from stdin to the destination, quietly', () => {
    const args = forwardArgs('rtmp://example.com/live/KEY');
    expect(args.join(' ')).toContain('-f flv -i pipe:0 -map 0 -c copy');
    expect(args.at(-1)).toBe('rtmp://example.com/live/KEY');
    expect(args.slice(args.indexOf('-loglevel'), args.indexOf('-loglevel') + 2)).toEqual(['-loglevel', 'error']);
  });

  it('tells why it failed with the key masked and the noise gone', () => {
    const stderr = [
      '[tcp @ 0x55d1c0a8] Connection to tcp://127.0.0.1:1?tcp_nodelay=0 failed: Connection refused',
      '[rtmp @ 0x55d1c0b0] Cannot open connection tcp://127.0.0.1:1?tcp_nodelay=0',
      'rtmp://127.0.0.1:1/live/sk_9f8e7d6c: Connection refused',
    ].join('\n');
    const reason = failureReason(stderr, 'sk_9f8e7d6c');
    expect(reason).not.toContain('sk_9f8e7d6c');
    expect(reason).toBe('Cannot open connection tcp://127.0.0.1:1. rtmp://127.0.0.1:1/live/••••: Connection refused.');
    expect(failureReason('Server error: Wrong stream key.\nrtmp://h/live/sk_9f8e7d6c: Operation not permitted', 'sk_9f8e7d6c')).toBe(
      'Server error: Wrong stream key. rtmp://h/live/••••: Operation not permitted.',
    );
    expect(failureReason('', 'k')).toBe('ffmpeg stopped without saying why.');
  });
});
