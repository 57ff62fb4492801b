import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mediaPlaylistState } from '../../src/origin/blocking-reload.js';
import { TestUser } from '../../testkit/nostr.js';
import { pushTestPattern } from '../../testkit/publishers.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';
import { createStream, eventually, ingestUrl, statusOf } from '../../testkit/streams.js';

/**
 * LL-HLS as a player meets it on a real stream: a blocking reload for the next part is answered
 * when that part is written (within about a part), the hinted part is served the moment it
 * exists, and every part listed decodes from its init segment.
 */
describe('LL-HLS on a live stream', () => {
  let server: TestServer;
  const alice = new TestUser();
  const publishers: ReturnType<typeof pushTestPattern>[] = [];

  beforeAll(async () => {
    server = await startTestServer('sqlite');
  });
  afterEach(() => {
    for (const publisher of publishers.splice(0)) publisher.child.kill('SIGKILL');
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it('holds a blocking reload until the next part, then serves it and the hinted part', { timeout: 60_000 }, async () => {
    const stream = await createStream(server, alice, { quality: '360p', record: false });
    publishers.push(pushTestPattern(ingestUrl(server, stream.stream_key), { seconds: 30, size: '640x360' }));
    await eventually('connected', async () => ((await statusOf(server, alice, stream.stream_id)).status === 'connected' ? true : undefined));
    expect((await server.call('POST', `/api/v1/streams/${stream.stream_id}/start`, { as: alice })).status).toBe(200);
    const media = `${server.url}/hls/${stream.stream_id}/360p/index.m3u8`;
    const first = await eventually('a segment', async () => {
      const text = await (await fetch(media)).text();
      return text.includes('#EXTINF') ? text : undefined;
    });

    const state = mediaPlaylistState(first);
    const nextPart = { msn: state.openMsn, part: state.openParts };
    const asked = performance.now();
    const held = await fetch(`${media}?_HLS_msn=${nextPart.msn}&_HLS_part=${nextPart.part}`);
    const heldMs = performance.now() - asked;
    expect(held.status).toBe(200);
    expect(held.headers.get('cache-control')).toBe('public, max-age=6');
    const after = mediaPlaylistState(await held.text());
    expect(after.openMsn > nextPart.msn || after.openParts > nextPart.part).toBe(true);
    // Answered when the part appeared: within a part target or so, not at the hold limit (6 s).
    expect(heldMs).toBeLessThan(1500);

    // The hinted part does not exist yet; asked for, it is served as soon as it is written.
    const hint = mediaPlaylistState(await (await fetch(media)).text()).preloadHint ?? '';
    expect(hint).toMatch(/^part_\d+_\d+\.m4s$/);
    const part = await fetch(`${server.url}/hls/${stream.stream_id}/360p/${hint}`);
    expect(part.status).toBe(200);
    expect(part.headers.get('cache-control')).toContain('immutable');
    const bytes = Buffer.from(await part.arrayBuffer());
    expect(bytes.subarray(4, 8).toString()).toBe('moof');

    // Further ahead than the spec allows is refused at once.
    const tooFar = await fetch(`${media}?_HLS_msn=${after.openMsn + 3}`);
    expect(tooFar.status).toBe(400);
    expect(((await tooFar.json()) as { error: string }).error).toBe('msn_too_far_ahead');
  });
});
