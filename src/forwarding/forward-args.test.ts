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
      '[tcp @ 0x55d1c0a8] Connection to tcp://127.0.0.1:1 failed: Connection refused',
      '[out#0/flv @ 0x55d1c0b0] Error opening output rtmp://127.0.0.1:1/live/sk_9f8e7d6c: Connection refused',
      'Error opening output files: Connection refused',
    ].join('\n');
    const reason = failureReason(stderr, 'sk_9f8e7d6c');
    expect(reason).not.toContain('sk_9f8e7d6c');
    expect(reason).toBe('Error opening output rtmp://127.0.0.1:1/live/••••: Connection refused — Error opening output files: Connection refused');
    expect(failureReason('', 'k')).toBe('ffmpeg stopped without saying why');
  });
});
