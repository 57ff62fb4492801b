import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../testkit/engines.js';
import { TestUser } from '../../testkit/nostr.js';
import { liveEventAt } from '../../testkit/relay-client.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';
import { eventually } from '../../testkit/streams.js';

interface Created {
  stream_id: string;
  stream_key: string;
  rtmp_ingest: string;
  hls_playback: string;
}

interface StreamBody {
  stream_id: string;
  status: string;
  title: string;
  tags: string[];
  visibility: string;
  started_at: number | null;
  ended_at: number | null;
  status_reason?: string | null;
  image_url: string | null;
  thumbnail_url: string | null;
  stream_type: string;
}

interface ListBody {
  streams: StreamBody[];
  total: number;
}

const validStream = {
  title: 'Acoustic session',
  description: 'Taking requests in chat',
  category: 'music',
  tags: ['Acoustic', 'guitar'],
  visibility: 'public',
  enable_chat: true,
  quality: '480p',
};

describe.each(ENGINES)('stream API over HTTP on %s', (engine) => {
  let server: TestServer;
  const alice = new TestUser();
  const bob = new TestUser();

  beforeAll(async () => {
    // A stream switched just after it was created waits out the 30311 rate limit: the shortest it can be.
    server = await startTestServer(engine, { env: { LIVE_EVENT_MIN_INTERVAL_SECONDS: '2' } });
  });
  afterAll(async () => {
    await server.destroy();
  });

  async function create(user = alice, body: object = validStream): Promise<Created> {
    const { status, body: created } = await server.call<Created>('POST', '/api/v1/streams/create', { as: user, json: body });
    expect(status).toBe(201);
    return created;
  }

  it('answers info and health', async () => {
    const info = await server.call('GET', '/api/v1/info');
    expect(info.status).toBe(200);
    expect(info.body).toEqual({
      pubkey: server.app.serviceKey.pubkey,
      relay: server.url.replace('http://', 'ws://') + '/',
      rtmp_url: `rtmp://127.0.0.1:${server.app.config.rtmpPort}/live`,
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      relays: [],
    });
    expect((await server.call('GET', '/healthz')).status).toBe(200);
  });

  it('creates a stream and answers with the key, ingest and playback URLs', async () => {
    const created = await create();
    expect(created.stream_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.stream_key).toMatch(/^wlk_live_[0-9a-f]{32}$/);
    expect(created.rtmp_ingest).toBe(`rtmp://127.0.0.1:${server.app.config.rtmpPort}/live`);
    expect(created.hls_playback).toBe(`${server.url}/hls/${created.stream_id}/master.m3u8`);

    const status = await server.call<StreamBody>('GET', `/api/v1/streams/${created.stream_id}/status`);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ status: 'created', title: 'Acoustic session', tags: ['acoustic', 'guitar'] });
    expect(JSON.stringify(status.body)).not.toContain(created.stream_key);
  });

  it.each([
    [{ ...validStream, title: undefined }, 'title is required'],
    [{ ...validStream, title: '   ' }, 'title is required'],
    [{ ...validStream, title: 'x'.repeat(101) }, 'title must be at most 100 characters'],
    [{ ...validStream, title: 42 }, 'title must be a string'],
    [{ ...validStream, description: 'x'.repeat(501) }, 'description must be at most 500 characters'],
    [{ ...validStream, category: undefined }, 'category is required'],
    [{ ...validStream, category: 'cooking' }, 'category must be one of Music, Talk, Gaming, Art & Creative'],
    [{ ...validStream, tags: ['x'.repeat(51)] }, 'each tag must be at most 50 characters'],
    // 30 capital dotted I's lowercase to 60 characters: too long once stored as the tag it becomes.
    [{ ...validStream, tags: ['İ'.repeat(30)] }, 'each tag must be at most 50 characters'],
    [{ ...validStream, tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }, 'at most 10 tags'],
    [{ ...validStream, tags: 'music' }, 'tags must be a list'],
    [{ ...validStream, visibility: 'friends' }, 'visibility must be public or private'],
    [{ ...validStream, enable_chat: 'yes' }, 'enable_chat must be true or false'],
    [{ ...validStream, quality: '4k' }, 'quality must be one of'],
    [{ ...validStream, image: 'cover.jpg' }, 'image must be an http(s) URL'],
    [{ ...validStream, image: 'javascript:alert(1)' }, 'image must be an http(s) URL'],
    [{ ...validStream, image: 'ftp://images.example.com/cover.jpg' }, 'image must be an http(s) URL'],
    [{ ...validStream, image: `https://images.example.com/${'x'.repeat(480)}.jpg` }, 'image must be at most 500 characters'],
    [{ ...validStream, image: 42 }, 'image must be an http(s) URL'],
    [[1, 2], 'must be a JSON object'],
  ])('refuses invalid settings %#', async (body, message) => {
    const before = await server.call<ListBody>('GET', `/api/v1/streams/user/${alice.pubkey}`);
    const { status, body: error } = await server.call('POST', '/api/v1/streams/create', { as: alice, json: body });
    expect(status).toBe(400);
    expect(error).toMatchObject({ error: 'invalid_request', message: expect.stringContaining(message) });
    const after = await server.call<ListBody>('GET', `/api/v1/streams/user/${alice.pubkey}`);
    expect(after.body.total).toBe(before.body.total);
  });

  it('keeps the cover image a streamer gives, beside the thumbnail, and lets the owner change or clear it', async () => {
    const cover = 'https://images.example.com/covers/acoustic.jpg';
    const created = await create(alice, { ...validStream, image: `  ${cover}  ` });
    const statusPath = `/api/v1/streams/${created.stream_id}/status`;
    expect((await server.call<StreamBody>('GET', statusPath)).body).toMatchObject({ image_url: cover, thumbnail_url: null });

    const plain = await create(alice, { ...validStream, image: '' });
    expect((await server.call<StreamBody>('GET', `/api/v1/streams/${plain.stream_id}/status`)).body.image_url).toBeNull();

    const path = `/api/v1/streams/${created.stream_id}`;
    const newCover = 'http://images.example.com/covers/late-set.png';
    const patched = await server.call<StreamBody>('PATCH', path, { as: alice, json: { image: newCover } });
    expect(patched.status).toBe(200);
    expect(patched.body.image_url).toBe(newCover);
    expect((await server.call<StreamBody>('GET', statusPath)).body.image_url).toBe(newCover);

    const refused = await server.call('PATCH', path, { as: alice, json: { image: 'javascript:alert(1)' } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'invalid_request', message: expect.stringContaining('image must be an http(s) URL') });
    expect((await server.call('PATCH', path, { as: bob, json: { image: cover } })).status).toBe(403);
    expect((await server.call<StreamBody>('GET', statusPath)).body.image_url).toBe(newCover);

    const cleared = await server.call<StreamBody>('PATCH', path, { as: alice, json: { image: null } });
    expect(cleared.status).toBe(200);
    expect((await server.call<StreamBody>('GET', statusPath)).body.image_url).toBeNull();
  });

  it('takes the stream type (video unless told), answers it and says it in the 30311 streaming_type', async () => {
    const relayUrl = `${server.url.replace('http:', 'ws:')}/`;
    const video = await create();
    expect((await server.call<StreamBody>('GET', `/api/v1/streams/${video.stream_id}/status`)).body.stream_type).toBe('video');
    await eventually('the video 30311', async () => ((await liveEventAt(relayUrl, video.stream_id))?.streamingType === 'video' ? true : undefined));

    const audio = await create(alice, { ...validStream, stream_type: 'audio' });
    const path = `/api/v1/streams/${audio.stream_id}`;
    expect((await server.call<StreamBody>('GET', `${path}/status`)).body.stream_type).toBe('audio');
    await eventually('the audio 30311', async () => ((await liveEventAt(relayUrl, audio.stream_id))?.streamingType === 'audio' ? true : undefined));

    const refused = await server.call('POST', '/api/v1/streams/create', { as: alice, json: { ...validStream, stream_type: 'podcast' } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'invalid_request', message: expect.stringContaining('stream_type must be one of video, audio') });
    const badPatch = await server.call('PATCH', path, { as: alice, json: { stream_type: 'radio' } });
    expect(badPatch.status).toBe(400);
    expect((await server.call<StreamBody>('GET', `${path}/status`)).body.stream_type).toBe('audio');

    const switched = await server.call<StreamBody>('PATCH', path, { as: alice, json: { stream_type: 'video' } });
    expect(switched.status).toBe(200);
    expect(switched.body.stream_type).toBe('video');
    expect((await server.call('PATCH', path, { as: bob, json: { stream_type: 'audio' } })).status).toBe(403);
    await eventually('the switched 30311', async () => ((await liveEventAt(relayUrl, audio.stream_id))?.streamingType === 'video' ? true : undefined));
  });

  it('refuses malformed JSON and the wrong content type with a JSON error', async () => {
    const broken = await server.call('POST', '/api/v1/streams/create', {
      body: '{"title": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.status).toBe(400);
    expect(broken.body).toEqual({ error: 'malformed_json', message: expect.any(String) });

    const text = await server.call('POST', '/api/v1/streams/create', {
      body: 'title=x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
    expect(text.body).toMatchObject({ error: 'unsupported_media_type' });

    const huge = await server.call('POST', '/api/v1/streams/create', {
      body: JSON.stringify({ title: 'x'.repeat(100_000) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ error: 'body_too_large' });
  });

  it('refuses NUL characters in text with a 400, on every engine, storing nothing', async () => {
    const before = await server.call<ListBody>('GET', `/api/v1/streams/user/${alice.pubkey}`);
    for (const body of [{ ...validStream, title: 'a\u0000b' }, { ...validStream, tags: ['ok', 'n\u0000l'] }]) {
      const refused = await server.call('POST', '/api/v1/streams/create', { as: alice, json: body });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ error: 'invalid_text', message: expect.stringContaining('NUL') });
    }
    const after = await server.call<ListBody>('GET', `/api/v1/streams/user/${alice.pubkey}`);
    expect(after.body.total).toBe(before.body.total);
  });

  it('refuses unsigned and wrongly signed requests with 401 naming the failed check', async () => {
    const url = `${server.url}/api/v1/streams/create`;
    const cases: Array<[Record<string, string>, string]> = [
      [{}, 'Missing NIP-98'],
      [{ authorization: 'Nostr !!!' }, 'not base64-encoded JSON'],
      [{ authorization: alice.rawAuthHeader({ kind: 1, tags: [['u', url], ['method', 'POST']] }) }, 'kind'],
      [{ authorization: alice.rawAuthHeader({ tags: [['u', `${url}?x=1`], ['method', 'POST']] }) }, 'u tag'],
      [{ authorization: alice.rawAuthHeader({ tags: [['u', url], ['method', 'GET']] }) }, 'method tag'],
      [
        { authorization: alice.rawAuthHeader({ created_at: Math.floor(Date.now() / 1000) - 120, tags: [['u', url], ['method', 'POST']] }) },
        'created_at',
      ],
      [{ authorization: alice.rawAuthHeader({ tags: [['u', url], ['method', 'POST'], ['payload', 'ab'.repeat(32)]] }) }, 'payload'],
    ];
    for (const [headers, message] of cases) {
      const { status, body } = await server.call('POST', '/api/v1/streams/create', {
        body: JSON.stringify(validStream),
        headers: { 'content-type': 'application/json', ...headers },
      });
      expect(status, message).toBe(401);
      expect(body).toMatchObject({ error: 'unauthorized', message: expect.stringContaining(message) });
    }
  });

  it('accepts a NIP-98 event only once', async () => {
    const url = `${server.url}/api/v1/streams/create`;
    const body = JSON.stringify(validStream);
    const authorization = await alice.authHeader(url, 'POST', validStream);
    const headers = { 'content-type': 'application/json', authorization };
    expect((await server.call('POST', '/api/v1/streams/create', { body, headers })).status).toBe(201);
    const replay = await server.call('POST', '/api/v1/streams/create', { body, headers });
    expect(replay.status).toBe(401);
    expect(replay.body).toMatchObject({ message: expect.stringContaining('already used') });
    // Used ids live in the database: a restart (or another node) does not forget them.
    server = await server.restart();
    const afterRestart = await server.call('POST', '/api/v1/streams/create', { body, headers });
    expect(afterRestart.status).toBe(401);
    expect(afterRestart.body).toMatchObject({ message: expect.stringContaining('already used') });
  });

  it('starts only with an encoder connected, stops, and refuses what the lifecycle forbids', async () => {
    const { stream_id: id } = await create();
    const early = await server.call('POST', `/api/v1/streams/${id}/start`, { as: alice });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ error: 'no_encoder', message: expect.stringContaining('OBS') });

    await server.app.streams.encoderConnected(id);
    const started = await server.call<StreamBody>('POST', `/api/v1/streams/${id}/start`, { as: alice });
    expect(started.status).toBe(200);
    expect(started.body.status).toBe('live');
    expect(started.body.started_at).toBeGreaterThan(0);

    const again = await server.call('POST', `/api/v1/streams/${id}/start`, { as: alice });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: 'already_live' });

    const stopped = await server.call<StreamBody>('POST', `/api/v1/streams/${id}/stop`, { as: alice });
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({ status: 'ended', ended_at: expect.any(Number) });

    const stopAgain = await server.call('POST', `/api/v1/streams/${id}/stop`, { as: alice });
    expect(stopAgain.status).toBe(409);
    const restart = await server.call('POST', `/api/v1/streams/${id}/start`, { as: alice });
    expect(restart.status).toBe(409);
    expect(restart.body).toMatchObject({ error: 'stream_ended' });
  });

  it('lets only the owner start, stop or regenerate the key', async () => {
    const { stream_id: id, stream_key: key } = await create();
    for (const action of ['start', 'stop', 'key']) {
      const { status, body } = await server.call('POST', `/api/v1/streams/${id}/${action}`, { as: bob });
      expect(status, action).toBe(403);
      expect(body).toMatchObject({ error: 'not_owner' });
    }
    const status = await server.call<StreamBody>('GET', `/api/v1/streams/${id}/status`);
    expect(status.body.status).toBe('created');
    const auth = await server.call('POST', '/api/v1/streams/auth', { json: { name: key } });
    expect(auth.status).toBe(200);
  });

  it('answers 404 for an unknown stream', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', '..%2f..%2fetc']) {
      const status = await server.call('GET', `/api/v1/streams/${id}/status`);
      expect(status.status, id).toBe(404);
      expect(status.body).toMatchObject({ error: 'stream_not_found' });
      const start = await server.call('POST', `/api/v1/streams/${id}/start`, { as: alice });
      expect(start.status, id).toBe(404);
    }
    const route = await server.call('GET', '/api/v1/nothing-here');
    expect(route.status).toBe(404);
    expect(route.body).toMatchObject({ error: 'not_found' });
  });

  it('regenerates the key: the old key stops working at once', async () => {
    const { stream_id: id, stream_key: oldKey } = await create();
    const regenerated = await server.call<Created>('POST', `/api/v1/streams/${id}/key`, { as: alice });
    expect(regenerated.status).toBe(200);
    expect(regenerated.body.stream_key).toMatch(/^wlk_live_[0-9a-f]{32}$/);
    expect(regenerated.body.stream_key).not.toBe(oldKey);

    const oldAuth = await server.call('POST', '/api/v1/streams/auth', { json: { name: oldKey } });
    expect(oldAuth.status).toBe(403);
    const newAuth = await server.call('POST', '/api/v1/streams/auth', {
      body: `name=${regenerated.body.stream_key}&call=publish&app=live`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(newAuth.status).toBe(200);
  });

  it('on_publish: connects the encoder, refuses ended streams and unknown keys', async () => {
    const { stream_id: id, stream_key: key } = await create();
    const form = (fields: string) =>
      server.call('POST', '/api/v1/streams/auth', {
        body: fields,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });

    expect((await form(`call=publish&name=${key}&addr=203.0.113.9`)).status).toBe(200);
    expect((await server.call<StreamBody>('GET', `/api/v1/streams/${id}/status`)).body.status).toBe('connected');
    // nginx may call again for the same publisher; that is not a refusal.
    expect((await form(`call=publish&name=${key}`)).status).toBe(200);

    const started = await server.call('POST', `/api/v1/streams/${id}/start`, { as: alice });
    expect(started.status).toBe(200);
    expect((await form(`call=publish_done&name=${key}`)).status).toBe(200);
    expect((await server.call<StreamBody>('GET', `/api/v1/streams/${id}/status`)).body.status).toBe('reconnecting');

    await server.call('POST', `/api/v1/streams/${id}/stop`, { as: alice });
    const ended = await form(`call=publish&name=${key}`);
    expect(ended.status).toBe(403);
    expect(ended.body).toMatchObject({ error: 'stream_ended' });

    const unknown = await form('call=publish&name=wlk_live_00000000000000000000000000000000');
    expect(unknown.status).toBe(403);
    expect(unknown.body).toMatchObject({ error: 'invalid_stream_key' });

    // nginx-rtmp only knows allow (2xx) and refuse: anything that is not a current key is a 403.
    const missing = await form('call=publish');
    expect(missing.status).toBe(403);
    expect(missing.body).toMatchObject({ error: 'invalid_request', message: expect.stringMatching(/stream key/) });
  });

  it('locks out an address after repeated wrong keys', async () => {
    const { stream_key: key } = await create();
    const attempt = (name: string) => server.call('POST', '/api/v1/streams/auth', { json: { name, addr: '198.51.100.7' } });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) statuses.push((await attempt(`wlk_live_${String(i).padStart(32, '0')}`)).status);
    expect(statuses.slice(0, 10).every((status) => status === 403)).toBe(true);
    const locked = await attempt(key);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address is unaffected.
    expect((await server.call('POST', '/api/v1/streams/auth', { json: { name: key, addr: '198.51.100.8' } })).status).toBe(200);
  });

  it('lists live public streams, filtered by category and tag, paginated', async () => {
    const makeLive = async (body: object, user = alice) => {
      const { stream_id: id } = await create(user, body);
      await server.app.streams.encoderConnected(id);
      expect((await server.call('POST', `/api/v1/streams/${id}/start`, { as: user })).status).toBe(200);
      return id;
    };
    const talk = await makeLive({ ...validStream, title: 'Talk show', category: 'talk', tags: ['nostr'] });
    const game = await makeLive({ ...validStream, title: 'Speedrun', category: 'gaming', tags: ['retro', 'nostr'] }, bob);
    const hidden = await makeLive({ ...validStream, title: 'Secret', category: 'talk', visibility: 'private' });
    const notLive = await create(alice, { ...validStream, category: 'talk' });

    const all = await server.call<ListBody>('GET', '/api/v1/streams/live?limit=100');
    const ids = all.body.streams.map((stream) => stream.stream_id);
    expect(ids).toEqual(expect.arrayContaining([talk, game]));
    expect(ids).not.toContain(hidden);
    expect(ids).not.toContain(notLive.stream_id);
    expect(all.body.streams.every((stream) => stream.status === 'live' && stream.visibility === 'public')).toBe(true);

    const talkOnly = await server.call<ListBody>('GET', '/api/v1/streams/live?category=talk');
    expect(talkOnly.body.streams.map((stream) => stream.stream_id)).toEqual([talk]);
    const tagged = await server.call<ListBody>('GET', '/api/v1/streams/live?tag=NOSTR&limit=100');
    expect(tagged.body.streams.map((stream) => stream.stream_id).sort()).toEqual([talk, game].sort());

    const first = await server.call<ListBody>('GET', '/api/v1/streams/live?tag=nostr&limit=1');
    const second = await server.call<ListBody>('GET', '/api/v1/streams/live?tag=nostr&limit=1&offset=1');
    expect(first.body.total).toBe(2);
    expect(first.body.streams).toHaveLength(1);
    expect(second.body.streams).toHaveLength(1);
    expect(second.body.streams[0]?.stream_id).not.toBe(first.body.streams[0]?.stream_id);

    for (const query of ['limit=0', 'limit=101', 'offset=-1', 'limit=abc', 'category=cooking']) {
      const bad = await server.call('GET', `/api/v1/streams/live?${query}`);
      expect(bad.status, query).toBe(400);
      expect(bad.body).toMatchObject({ error: 'invalid_request' });
    }
  });

  it("shows a user's streams: private ones and the status reason only to the owner", async () => {
    const carol = new TestUser();
    const pub = await create(carol, { ...validStream, title: 'Public one' });
    const priv = await create(carol, { ...validStream, title: 'Private one', visibility: 'private' });

    const anonymous = await server.call<ListBody & { current: unknown }>('GET', `/api/v1/streams/user/${carol.pubkey}`);
    expect(anonymous.status).toBe(200);
    expect(anonymous.body.streams.map((stream) => stream.stream_id)).toEqual([pub.stream_id]);
    expect(anonymous.body.current).toBeNull();
    expect(anonymous.body.streams[0]).not.toHaveProperty('status_reason');

    const owner = await server.call<ListBody>('GET', `/api/v1/streams/user/${carol.pubkey}`, { as: carol });
    expect(owner.body.streams.map((stream) => stream.stream_id).sort()).toEqual([pub.stream_id, priv.stream_id].sort());
    expect(owner.body.total).toBe(2);
    expect(owner.body.streams[0]).toHaveProperty('status_reason');

    const hiddenStatus = await server.call('GET', `/api/v1/streams/${priv.stream_id}/status`);
    expect(hiddenStatus.status).toBe(404);
    const ownStatus = await server.call('GET', `/api/v1/streams/${priv.stream_id}/status`, { as: carol });
    expect(ownStatus.status).toBe(200);

    const bad = await server.call('GET', '/api/v1/streams/user/not-a-key');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'invalid_pubkey' });
  });
});
