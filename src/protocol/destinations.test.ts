import { describe, expect, it } from 'vitest';
import { addDestinationSchema, destinationUrlProblem, maskKey } from './destinations.js';

describe('forwarding destination URLs', () => {
  it.each(['rtmp://a.rtmp.youtube.com/live2', 'rtmps://live-api-s.facebook.com:443/rtmp/', 'rtmp://127.0.0.1:1935/live', 'rtmp://ingest.example'])('takes %s', (url) => {
    expect(destinationUrlProblem(url)).toBeUndefined();
  });

  it.each([
    ['https://youtube.com/live2', 'url must start with rtmp:// or rtmps://'],
    ['srt://example.com:9000', 'url must start with rtmp:// or rtmps://'],
    ['not a url', 'url must be an RTMP server address such as rtmp://a.rtmp.youtube.com/live2'],
    ['rtmp://user:secret@example.com/live', 'url must not contain a user name or password: put the secret in the key'],
    ['rtmp://example.com/live?key=abc', 'url must not have a query or fragment: put the secret in the key'],
  ])('refuses %s: %s', (url, problem) => {
    expect(destinationUrlProblem(url)).toBe(problem);
  });

  it('checks the whole request: a key with spaces, an empty name', () => {
    expect(addDestinationSchema.safeParse({ name: 'YouTube', url: 'rtmp://a.rtmp.youtube.com/live2', key: 'abcd-efgh-ijkl' }).success).toBe(true);
    expect(addDestinationSchema.safeParse({ name: 'YouTube', url: 'rtmp://a.rtmp.youtube.com/live2', key: 'ab cd' }).error?.issues[0]?.message).toBe('key must not contain spaces');
    expect(addDestinationSchema.safeParse({ name: ' ', url: 'rtmp://a.rtmp.youtube.com/live2', key: 'abcd' }).error?.issues[0]?.message).toBe('name must not be empty');
    expect(addDestinationSchema.safeParse({ name: 'x', url: 'http://x', key: 'abcd' }).error?.issues[0]?.message).toBe('url must start with rtmp:// or rtmps://');
  });
});

describe('masking a destination key', () => {
  it('shows only the last four characters of a long key, none of a short one', () => {
    expect(maskKey('live_123456789_abcd')).toBe('••••abcd');
    expect(maskKey('short')).toBe('••••');
  });
});
