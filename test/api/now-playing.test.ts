import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamAnalytics } from '../../src/protocol/analytics.js';
import type { StreamView, TrackView } from '../../src/protocol/api-views.js';
import { ENGINES } from '../../testkit/engines.js';
import { TestUser } from '../../testkit/nostr.js';
import { liveEventAt } from '../../testkit/relay-client.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';
import { eventually } from '../../testkit/streams.js';

interface Created {
  stream_id: string;
  stream_key: string;
}

const firstTrack = { title: 'Windowlicker', artist: 'Aphex Twin', link: 'https://music.example/track/1' };

/** "Now playing" over HTTP: set, replace, clear and refuse; the view, the analytics timeline and the 30311 follow. */
describe.each(ENGINES)('now playing over HTTP on %s', (engine) => {
  let server: TestServer;
  const alice = new TestUser();
  const bob = new TestUser();
  let relayUrl: string;

  beforeAll(async () => {
    server = await startTestServer(engine);
    relayUrl = `${server.url.replace('http:', 'ws:')}/`;
  });
  afterAll(async () => {
    await server.destroy();
  });

  async function create(extra: object = {}): Promise<Created> {
    const { status, body } = await server.call<Created>('POST', '/api/v1/streams/create', {
      as: alice,
      json: { title: 'Late set', category: 'music', stream_type: 'audio', ...extra },
    });
    expect(status).toBe(201);
    return body;
  }
  async function goLive(stream: Created): Promise<void> {
    await server.call('POST', '/api/v1/streams/auth', { json: { name: stream.stream_key, call: 'publish' } });
    expect((await server.call('POST', `/api/v1/streams/${stream.stream_id}/start`, { as: alice })).status).toBe(200);
  }
  const nowPlayingPath = (stream: Created) => `/api/v1/streams/${stream.stream_id}/now-playing`;
  const view = async (stream: Created) => (await server.call<StreamView>('GET', `/api/v1/streams/${stream.stream_id}/status`)).body;
  /** Analytics are the owner's (alice's) unless another or nobody (`null`) is named. */
  const analytics = async (stream: Created, as: TestUser | null = alice) =>
    server.call<StreamAnalytics>('GET', `/api/v1/streams/${stream.stream_id}/analytics`, as ? { as } : {});

  it('sets the first track before Start, replaces it live, clears it, and keeps every track on the timeline', async () => {
    const stream = await create();
    const before = Math.floor(Date.now() / 1000);
    const set = await server.call<StreamView>('POST', nowPlayingPath(stream), { as: alice, json: { ...firstTrack, title: '  Windowlicker ' } });
    expect(set.status).toBe(200);
    expect(set.body.status).toBe('created');
    expect(set.body.now_playing).toEqual({ ...firstTrack, started_at: expect.any(Number) });
    const first = set.body.now_playing as TrackView;
    expect(first.started_at).toBeGreaterThanOrEqual(before);
    expect(first.started_at).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect((await view(stream)).now_playing).toEqual(first);

    await goLive(stream);
    const replaced = await server.call<StreamView>('POST', nowPlayingPath(stream), { as: alice, json: { title: 'Xtal' } });
    expect(replaced.status).toBe(200);
    expect(replaced.body.now_playing).toEqual({ title: 'Xtal', artist: '', link: null, started_at: expect.any(Number) });
    expect((await view(stream)).now_playing?.title).toBe('Xtal');
    const listed = await server.call<{ streams: StreamView[] }>('GET', '/api/v1/streams/live?limit=100');
    expect(listed.body.streams.find((s) => s.stream_id === stream.stream_id)?.now_playing?.title).toBe('Xtal');

    const cleared = await server.call<StreamView>('DELETE', nowPlayingPath(stream), { as: alice });
    expect(cleared.status).toBe(200);
    expect(cleared.body.now_playing).toBeNull();
    expect((await view(stream)).now_playing).toBeNull();

    const { status, body } = await analytics(stream);
    expect(status).toBe(200);
    expect(body.tracks).toEqual([
      { title: 'Windowlicker', artist: 'Aphex Twin', link: firstTrack.link, startedAt: first.started_at },
      { title: 'Xtal', artist: '', link: null, startedAt: expect.any(Number) },
    ]);
    expect(body.tracks[1]?.startedAt).toBeGreaterThanOrEqual(first.started_at);
  });

  it('writes the track into the 30311 as a now_playing tag, and drops it at the end while the timeline keeps it', async () => {
    const stream = await create();
    await goLive(stream);
    await server.call('POST', nowPlayingPath(stream), { as: alice, json: firstTrack });
    const live = await eventually('the 30311 with the track', async () => {
      const event = await liveEventAt(relayUrl, stream.stream_id);
      return event?.nowPlaying ? event : undefined;
    });
    expect(live.status).toBe('live');
    expect(live.nowPlaying).toEqual(firstTrack);

    await server.call('POST', nowPlayingPath(stream), { as: alice, json: { title: 'Xtal', artist: 'Aphex Twin' } });
    await eventually('the 30311 with the new track', async () =>
      (await liveEventAt(relayUrl, stream.stream_id))?.nowPlaying?.title === 'Xtal' ? true : undefined,
    );
    expect((await liveEventAt(relayUrl, stream.stream_id))?.nowPlaying).toEqual({ title: 'Xtal', artist: 'Aphex Twin' });

    const stopped = await server.call<StreamView>('POST', `/api/v1/streams/${stream.stream_id}/stop`, { as: alice });
    expect(stopped.body.now_playing).toBeNull();
    expect((await view(stream)).now_playing).toBeNull();
    const ended = await eventually('the ended 30311', async () => {
      const event = await liveEventAt(relayUrl, stream.stream_id);
      return event?.status === 'ended' ? event : undefined;
    });
    expect(ended).not.toHaveProperty('nowPlaying');
    expect((await analytics(stream)).body.tracks.map((track) => track.title)).toEqual(['Windowlicker', 'Xtal']);
  });

  it.each([
    [{}, 'title is required'],
    [{ title: '   ' }, 'title is required'],
    [{ title: 42 }, 'title must be a string'],
    [{ title: 'x'.repeat(201) }, 'title must be at most 200 characters'],
    [{ title: 'Intro', artist: 7 }, 'artist must be a string'],
    [{ title: 'Intro', link: 'javascript:alert(1)' }, 'link must be an http(s) URL'],
    [[1, 2], 'must be a JSON object'],
  ])('refuses a bad track with the words of the schema %#', async (body, message) => {
    const stream = await create();
    await server.call('POST', nowPlayingPath(stream), { as: alice, json: firstTrack });
    const refused = await server.call('POST', nowPlayingPath(stream), { as: alice, json: body });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'invalid_request', message: expect.stringContaining(message) });
    expect((await view(stream)).now_playing?.title).toBe(firstTrack.title);
    expect((await analytics(stream)).body.tracks).toHaveLength(1);
  });

  it('refuses anyone but the owner, unknown streams, and ended streams; nothing changes', async () => {
    const stream = await create();
    await server.call('POST', nowPlayingPath(stream), { as: alice, json: firstTrack });

    for (const method of ['POST', 'DELETE']) {
      const json = method === 'POST' ? { title: 'Hijack' } : undefined;
      const notOwner = await server.call(method, nowPlayingPath(stream), { as: bob, json });
      expect(notOwner.status).toBe(403);
      expect(notOwner.body).toMatchObject({ error: 'not_owner', message: expect.any(String) });
      expect((await server.call(method, nowPlayingPath(stream), { json })).status).toBe(401);
      const unknown = await server.call(method, '/api/v1/streams/00000000-0000-4000-8000-000000000000/now-playing', { as: alice, json });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({ error: 'stream_not_found' });
    }
    expect((await view(stream)).now_playing?.title).toBe(firstTrack.title);

    await server.call('POST', `/api/v1/streams/${stream.stream_id}/stop`, { as: alice });
    for (const method of ['POST', 'DELETE']) {
      const late = await server.call(method, nowPlayingPath(stream), { as: alice, json: method === 'POST' ? { title: 'Encore' } : undefined });
      expect(late.status).toBe(409);
      expect(late.body).toMatchObject({ error: 'stream_ended', message: expect.stringContaining('has ended') });
    }
    expect((await view(stream)).now_playing).toBeNull();
    expect((await analytics(stream)).body.tracks.map((track) => track.title)).toEqual([firstTrack.title]);
  });

  it("shows a private stream's tracks to its owner only", async () => {
    const stream = await create({ visibility: 'private' });
    expect((await server.call('POST', nowPlayingPath(stream), { as: bob, json: firstTrack })).status).toBe(404);
    await server.call('POST', nowPlayingPath(stream), { as: alice, json: firstTrack });
    expect((await analytics(stream, null)).status).toBe(401);
    expect((await analytics(stream, bob)).status).toBe(404);
    expect((await analytics(stream, alice)).body.tracks.map((track) => track.title)).toEqual([firstTrack.title]);
  });
});
