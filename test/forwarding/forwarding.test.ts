import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DestinationsView, DestinationView } from '../../src/protocol/destinations.js';
import { ENGINES } from '../../testkit/engines.js';
import { TestUser } from '../../testkit/nostr.js';
import type { PublisherProcess } from '../../testkit/publishers.js';
import { RtmpReceiver } from '../../testkit/rtmp-receiver.js';
import { freePort, startTestServer, type TestServer } from '../../testkit/server.js';
import { createStream, eventually, goLiveWithTestPattern, probe, statusOf } from '../../testkit/streams.js';

/** The service's log lines, to check that no destination key reaches them. */
function logSink(): { stream: Writable; text(): string } {
  const chunks: string[] = [];
  return {
    stream: new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString());
        done();
      },
    }),
    text: () => chunks.join(''),
  };
}

/** Every file under `dir`, read as bytes: the database, its journal, the key file, everything. */
function everyFileUnder(dir: string): Buffer[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dir, name))
    .filter((file) => statSync(file).isFile())
    .map((file) => readFileSync(file));
}

describe.each(ENGINES)('forwarding destinations on %s', (engine) => {
  const owner = new TestUser();
  const logs = logSink();
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(engine, { log: logs.stream });
  });
  afterAll(() => server.destroy());

  const KEY = 'yt-secret-key-7f3a9c2e1b';

  it('stores a destination with its key sealed, answers only the masked key, and removes it', async () => {
    const stream = await createStream(server, owner);
    const base = `/api/v1/streams/${stream.stream_id}/destinations`;
    const added = await server.call<DestinationView>('POST', base, { as: owner, json: { name: 'YouTube', url: 'rtmp://a.rtmp.youtube.com/live2', key: KEY } });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ name: 'YouTube', url: 'rtmp://a.rtmp.youtube.com/live2', key: '••••2e1b', state: 'idle' });
    expect(JSON.stringify(added.body)).not.toContain(KEY);

    const listed = await server.call<DestinationsView>('GET', base, { as: owner });
    expect(listed.body.destinations.map((destination) => destination.key)).toEqual(['••••2e1b']);

    const rows = await server.app.database.db.selectFrom('stream_destinations').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.key_sealed).not.toContain(KEY);
    if (engine === 'sqlite') {
      await server.app.database.db.selectFrom('streams').select('id').execute();
      for (const bytes of everyFileUnder(server.dataDir)) expect(bytes.includes(KEY)).toBe(false);
    }
    expect(logs.text()).not.toContain(KEY);

    const removed = await server.call('DELETE', `${base}/${added.body.id}`, { as: owner });
    expect(removed.status).toBe(204);
    expect((await server.call<DestinationsView>('GET', base, { as: owner })).body.destinations).toEqual([]);
    const again = await server.call<{ error: string }>('DELETE', `${base}/${added.body.id}`, { as: owner });
    expect([again.status, again.body.error]).toEqual([404, 'destination_not_found']);
  });

  it('refuses what it cannot forward to, strangers and callers without a signature, with JSON errors', async () => {
    const stream = await createStream(server, owner);
    const base = `/api/v1/streams/${stream.stream_id}/destinations`;
    const bad = await server.call<{ error: string; message: string }>('POST', base, { as: owner, json: { name: 'Web', url: 'https://example.com/live', key: 'k' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: 'invalid_request', message: 'Invalid destination: url must start with rtmp:// or rtmps://.' });
    const stranger = await server.call<{ error: string }>('POST', base, { as: new TestUser(), json: { name: 'X', url: 'rtmp://example.com/live', key: 'abcdefgh' } });
    expect([stranger.status, stranger.body.error]).toEqual([403, 'not_owner']);
    const unsigned = await server.call<{ error: string }>('GET', base);
    expect(unsigned.status).toBe(401);
    for (let n = 0; n < 5; n += 1) {
      expect((await server.call('POST', base, { as: owner, json: { name: `D${n}`, url: 'rtmp://example.com/live', key: `key-${n}-abcdef` } })).status).toBe(201);
    }
    const sixth = await server.call<{ error: string }>('POST', base, { as: owner, json: { name: 'D5', url: 'rtmp://example.com/live', key: 'key-5-abcdef' } });
    expect([sixth.status, sixth.body.error]).toEqual([409, 'too_many_destinations']);
  });
});

describe('forwarding a live stream', () => {
  const owner = new TestUser();
  const logs = logSink();
  const GOOD_KEY = 'dest-good-key-4d5e6f';
  const WRONG_KEY = 'dest-wrong-key-0a1b2c';
  const NOWHERE_KEY = 'dest-nowhere-key-9z8y';
  let server: TestServer;
  let receiver: RtmpReceiver;
  let encoder: PublisherProcess | undefined;
  beforeAll(async () => {
    [server, receiver] = await Promise.all([startTestServer('sqlite', { log: logs.stream }), RtmpReceiver.start(GOOD_KEY)]);
  });
  afterAll(async () => {
    encoder?.child.kill('SIGKILL');
    await server.destroy();
    await receiver.close();
  });

  it('copies the source to a working destination while refused ones retry, and our own stream stays live', async () => {
    const stream = await createStream(server, owner);
    const base = `/api/v1/streams/${stream.stream_id}/destinations`;
    const add = async (name: string, url: string, key: string) =>
      (await server.call<DestinationView>('POST', base, { as: owner, json: { name, url, key } })).body.id;
    const good = await add('Second server', receiver.url, GOOD_KEY);
    const wrongKey = await add('Wrong key', receiver.url, WRONG_KEY);
    const nowhere = await add('Nothing there', `rtmp://127.0.0.1:${await freePort()}/live`, NOWHERE_KEY);

    encoder = await goLiveWithTestPattern(server, owner, stream, { seconds: 120, size: '640x360' });
    const states = async () => {
      const { body } = await server.call<DestinationsView>('GET', base, { as: owner });
      return new Map(body.destinations.map((destination) => [destination.id, destination]));
    };
    const settled = await eventually(
      'the working destination live and the others retrying',
      async () => {
        const now = await states();
        const failing = [wrongKey, nowhere].map((id) => now.get(id));
        return now.get(good)?.state === 'live' && failing.every((destination) => destination?.state === 'retrying' && destination.reason) ? now : undefined;
      },
      90_000,
      500,
    );
    expect(settled.get(nowhere)?.reason).toMatch(/Connection refused/);
    expect(settled.get(wrongKey)?.reason).toMatch(/Wrong stream key/);
    expect(settled.get(nowhere)?.retry_at).toBeGreaterThan(Date.now() - 60_000);
    const shown = JSON.stringify([...settled.values()]);
    for (const key of [GOOD_KEY, WRONG_KEY, NOWHERE_KEY]) expect(shown).not.toContain(key);

    // What the second server received is the source itself: H.264 and AAC at the pushed size.
    await eventually('media at the second server', async () => (receiver.bytes() > 200_000 ? true : undefined), 60_000);
    const received = await probe(receiver.file);
    const video = received.streams.find((track) => track.codec_type === 'video');
    expect(video).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });
    expect(received.streams.find((track) => track.codec_type === 'audio')?.codec_name).toBe('aac');
    expect(receiver.publishes.count).toBe(1);

    // Ours is untouched by the two failing destinations.
    expect((await statusOf(server, owner, stream.stream_id)).status).toBe('live');
    const master = await fetch(`${server.url}/hls/${stream.stream_id}/master.m3u8`);
    expect(master.status).toBe(200);
    // The failures are logged (masked), the keys never.
    expect(logs.text()).toContain('forwarding failed');
    expect(logs.text()).toContain('forwarding is live');
    for (const key of [GOOD_KEY, WRONG_KEY, NOWHERE_KEY]) expect(logs.text()).not.toContain(key);

    // A pause holds every push (the slate hides the camera here, so it is not sent elsewhere); resuming picks them up.
    expect((await server.call('POST', `/api/v1/streams/${stream.stream_id}/pause`, { as: owner })).status).toBe(200);
    await eventually('every destination paused', async () => ([...(await states()).values()].every((destination) => destination.state === 'paused') ? true : undefined), 30_000);
    expect((await server.call('POST', `/api/v1/streams/${stream.stream_id}/resume`, { as: owner })).status).toBe(200);
    await eventually('the working destination live again', async () => ((await states()).get(good)?.state === 'live' ? true : undefined), 60_000);
    expect(receiver.publishes.count).toBe(2);

    // At the end every push stops.
    expect((await server.call('POST', `/api/v1/streams/${stream.stream_id}/stop`, { as: owner })).status).toBe(200);
    await eventually('every destination idle', async () => ([...(await states()).values()].every((destination) => destination.state === 'idle') ? true : undefined), 30_000);
  }, 180_000);
});
