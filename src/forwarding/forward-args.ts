/** How long a destination may take to answer, or stop taking data, before the attempt counts as failed. */
export const RW_TIMEOUT_MS = 15_000;

/**
 * The ffmpeg that pushes one destination: FLV in on stdin, the same packets out (no
 * re-encoding, so it costs next to no CPU), progress on pipe 3. `-loglevel error` keeps
 * ffmpeg from printing its output URL (which holds the key) in its banner.
 */
export function forwardArgs(targetUrl: string): string[] {
  return [
    '-hide_banner',
    '-loglevel', 'error',
    '-nostats',
    '-progress', 'pipe:3',
    '-stats_period', '1',
    '-f', 'flv',
    '-i', 'pipe:0',
    '-map', '0',
    '-c', 'copy',
    '-rw_timeout', String(RW_TIMEOUT_MS * 1000),
    '-flvflags', 'no_duration_filesize',
    '-f', 'flv',
    targetUrl,
  ];
}

/**
 * ffmpeg's complaint as the streamer may read it: the key (and the URL holding it) masked,
 * the `[tcp @ 0x…]` noise gone, the last distinct lines kept.
 *
 *   failureReason('[tcp @ 0x5]  Connection to tcp://h:1 failed: Connection refused', secret)
 */
export function failureReason(stderr: string, key: string): string {
  const lines = stderr
    .split('\n')
    .map((line) =>
      line
        .split(key)
        .join('••••')
        .replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/i, '')
        // ffmpeg's own socket options (`tcp://h:1?tcp_nodelay=0`) say nothing to the streamer.
        .replace(/(tcp:\/\/\S+?)\?\S+/g, '$1')
        .replace(/[.\s]+$/, ''),
    )
    .filter((line) => line !== '');
  const distinct = [...new Set(lines)].slice(-2);
  const text = distinct.length > 0 ? `${distinct.join('. ')}.` : 'ffmpeg stopped without saying why.';
  return text.length > 300 ? `${text.slice(0, 297)}…` : text;
}
