import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublisherProcess } from '../../testkit/publishers.js';
import { TestUser } from '../../testkit/nostr.js';
import { createStream, eventually, goLiveWithTestPattern, statusOf, type Created } from '../../testkit/streams.js';
import { useTestServer } from '../../testkit/suites.js';

interface Counts {
  current_viewers: number;
  max_viewers: number;
  total_viewers: number;
}

/**
 * Viewer counts that mean people: the host's own preview is not a viewer, and a browser that
 * reloads the page (sending back its `wl_sid` cookie) is the same viewer, not a second one.
 * Over HTTP, against a stream live from a test pattern.
 */
describe('honest viewer counts', () => {
  const suite = useTestServer('sqlite', { env: { METRICS_SAMPLE_SECONDS: '1' } });
  const host = new TestUser();
  let stream: Created;
  let publisher: PublisherProcess | undefined;

  beforeAll(async () => {
    stream = await createStream(suite.server, host, { quality: '480p', record: false });
    publisher = await goLiveWithTestPattern(suite.server, host, stream, { seconds: 120, size: '640x360' });
    // Probed with HEAD, which is no viewer either.
    await eventually('the live playlists', async () => ((await fetch(`${suite.server.url}/hls/${stream.stream_id}/master.m3u8`, { method: 'HEAD' })).ok ? true : undefined), 60_000);
  }, 90_000);
  afterAll(() => {
    publisher?.child.kill('SIGKILL');
  });

  const counts = async () => (await suite.server.call<Counts>('GET', `/api/v1/streams/${stream.stream_id}/status`)).body;
  /** A player's first fetches: the multivariant playlist (with the cookie, if any), then a rendition from it, twice. */
  const play = async (url: string, cookie?: string) => {
    const master = await fetch(url, cookie === undefined ? {} : { headers: { cookie } });
    expect(master.status).toBe(200);
    const text = await master.text();
    const rendition = text.split('\n').find((line) => line !== '' && !line.startsWith('#'));
    if (rendition === undefined) throw new Error(`no rendition in ${text}`);
    for (let i = 0; i < 2; i += 1) expect((await fetch(new URL(rendition, url))).status).toBe(200);
    return { setCookie: master.headers.get('set-cookie'), sid: /[?&]sid=([A-Za-z0-9_-]+)/.exec(rendition)?.[1] };
  };
  const publicMaster = () => `${suite.server.url}/hls/${stream.stream_id}/master.m3u8`;

  it('leaves the host’s preview out, and counts a reload with the same cookie once and another cookie as a second viewer', { timeout: 60_000 }, async () => {
    const previewUrl = (await statusOf(suite.server, host, stream.stream_id)).preview_url ?? '';
    expect(previewUrl).toMatch(/token=/);
    const preview = await play(previewUrl);
    expect(preview.setCookie).toBeNull();
    expect(preview.sid).toBeUndefined();
    await play(previewUrl);

    // The first visit is given a session in a cookie; the reload sends it back and plays under the same id.
    const first = await play(publicMaster());
    expect(first.setCookie).toMatch(/^wl_sid=[A-Za-z0-9_-]{8,32}; Max-Age=\d+; Path=\/hls; HttpOnly; SameSite=Lax$/);
    const cookie = first.setCookie?.split(';')[0] ?? '';
    expect(cookie).toBe(`wl_sid=${first.sid}`);
    const reload = await play(publicMaster(), cookie);
    expect(reload.sid).toBe(first.sid);

    // Once that viewer is counted, nothing else is: the preview did not add one, nor did the reload.
    await eventually('the viewer to be counted', async () => ((await counts()).current_viewers === 1 ? true : undefined), 15_000);
    expect(await counts()).toMatchObject({ current_viewers: 1, max_viewers: 1, total_viewers: 1 });

    const other = await play(publicMaster(), 'wl_sid=another-browser-42');
    expect(other.sid).toBe('another-browser-42');
    await eventually('the second viewer', async () => ((await counts()).current_viewers === 2 ? true : undefined), 15_000);
    expect(await counts()).toMatchObject({ current_viewers: 2, max_viewers: 2, total_viewers: 2 });

    // Analytics agree: peak and total are the two browsers, the preview in neither.
    type Analytics = { peakViewers: number; totalViewers: number; timeline: { viewers: number }[] };
    const analytics = await eventually(
      'analytics with both viewers',
      async () => {
        const body = (await suite.server.call<Analytics>('GET', `/api/v1/streams/${stream.stream_id}/analytics`, { as: host })).body;
        return body.totalViewers === 2 && body.timeline.some((point) => point.viewers === 2) ? body : undefined;
      },
      20_000,
    );
    expect(analytics.peakViewers).toBe(2);
    expect(Math.max(...analytics.timeline.map((point) => point.viewers))).toBe(2);
  });
});
