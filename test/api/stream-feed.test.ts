import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TestUser } from '../../testkit/nostr.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';

interface Created {
  stream_id: string;
  stream_key: string;
}

type Message = { type: string } & Record<string, unknown>;

/** A feed listener that keeps every message and can wait for one that matches. */
class FeedClient {
  readonly messages: Message[] = [];
  private waiters: (() => void)[] = [];
  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()) as Message);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static open(url: string): Promise<FeedClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      const client = new FeedClient(socket);
      socket.once('open', () => resolve(client));
      socket.once('error', reject);
    });
  }

  async next(match: (message: Message) => boolean, timeoutMs = 3000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching message; got ${JSON.stringify(this.messages)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }
}

describe('real-time stream feed (WS /api/v1/streams/<id>/ws)', () => {
  let server: TestServer;
  const alice = new TestUser();
  const clients: FeedClient[] = [];

  beforeAll(async () => {
    server = await startTestServer('sqlite');
  });
  afterAll(async () => {
    for (const client of clients) client.socket.close();
    await server?.destroy();
  });

  const feedUrl = (id: string) => `${server.url.replace('http://', 'ws://')}/api/v1/streams/${id}/ws`;
  async function open(id: string) {
    const client = await FeedClient.open(feedUrl(id));
    clients.push(client);
    return client;
  }
  async function create(extra: object = {}): Promise<Created> {
    const { body } = await server.call<Created>('POST', '/api/v1/streams/create', {
      as: alice,
      json: { title: 'Feed', category: 'talk', ...extra },
    });
    return body;
  }

  it('sends the current state, then every status change to every listener', async () => {
    const stream = await create();
    const listeners = await Promise.all([open(stream.stream_id), open(stream.stream_id), open(stream.stream_id)]);
    for (const listener of listeners) {
      await listener.next((m) => m.type === 'status' && m.status === 'created');
      await listener.next((m) => m.type === 'viewers' && m.current === 0);
    }
    await server.call('POST', '/api/v1/streams/auth', { json: { name: stream.stream_key, call: 'publish' } });
    await server.call('POST', `/api/v1/streams/${stream.stream_id}/start`, { as: alice });
    await server.call('POST', `/api/v1/streams/${stream.stream_id}/pause`, { as: alice });
    for (const listener of listeners) {
      await listener.next((m) => m.type === 'status' && m.status === 'connected');
      await listener.next((m) => m.type === 'status' && m.status === 'live' && m.paused === false);
      await listener.next((m) => m.type === 'status' && m.status === 'live' && m.paused === true);
    }
  });

  it('pushes viewer counts as players arrive', async () => {
    const stream = await create();
    await server.call('POST', '/api/v1/streams/auth', { json: { name: stream.stream_key, call: 'publish' } });
    await server.call('POST', `/api/v1/streams/${stream.stream_id}/start`, { as: alice });
    const folder = path.join(server.dataDir, 'hls', stream.stream_id);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'master.m3u8'), '#EXTM3U\n');
    const listener = await open(stream.stream_id);
    await fetch(`${server.url}/hls/${stream.stream_id}/master.m3u8`);
    await listener.next((m) => m.type === 'viewers' && m.current === 1 && m.total === 1);
  });

  it('pushes the now-playing track to every listener within 2 s of each change, and sends the current one to a newcomer', async () => {
    const stream = await create({ category: 'music', stream_type: 'audio' });
    const nowPlaying = `/api/v1/streams/${stream.stream_id}/now-playing`;
    const listeners = await Promise.all([open(stream.stream_id), open(stream.stream_id)]);
    const track = { title: 'Windowlicker', artist: 'Aphex Twin', link: 'https://music.example/track/1' };
    const trackMessage = (title: string | null) => (m: Message) =>
      m.type === 'track' && (title === null ? m.track === null : (m.track as { title?: string } | null)?.title === title);

    let setAt = Date.now();
    const set = await server.call<{ now_playing: unknown }>('POST', nowPlaying, { as: alice, json: track });
    for (const listener of listeners) {
      const message = await listener.next(trackMessage('Windowlicker'), 2000);
      expect(message).toEqual({ type: 'track', track: set.body.now_playing });
      expect(message.track).toEqual({ ...track, started_at: expect.any(Number) });
    }
    expect(Date.now() - setAt).toBeLessThan(2000);

    const newcomer = await open(stream.stream_id);
    await newcomer.next(trackMessage('Windowlicker'), 2000);

    setAt = Date.now();
    await server.call('POST', nowPlaying, { as: alice, json: { title: 'Xtal' } });
    for (const listener of [...listeners, newcomer]) await listener.next(trackMessage('Xtal'), 2000);
    await server.call('DELETE', nowPlaying, { as: alice });
    for (const listener of [...listeners, newcomer]) await listener.next(trackMessage(null), 2000);
    expect(Date.now() - setAt).toBeLessThan(2000);
  });

  it('answers a bad player report with an error message and keeps the socket open', async () => {
    const stream = await create();
    const listener = await open(stream.stream_id);
    listener.socket.send('not json');
    await listener.next((m) => m.type === 'error' && m.error === 'invalid_report');
    listener.socket.send(JSON.stringify({ type: 'buffering', duration_ms: -5 }));
    await listener.next((m) => m.type === 'error' && listener.messages.filter((x) => x.type === 'error').length === 2);
    expect(listener.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('refuses unknown streams and private streams without a token', async () => {
    await expect(FeedClient.open(feedUrl('00000000-0000-4000-8000-000000000000'))).rejects.toThrow(/404/);
    const hidden = await create({ visibility: 'private' });
    await expect(FeedClient.open(feedUrl(hidden.stream_id))).rejects.toThrow(/404/);
    const { body } = await server.call<{ preview_url: string }>('GET', `/api/v1/streams/${hidden.stream_id}/status`, { as: alice });
    const token = new URL(body.preview_url).searchParams.get('token') ?? '';
    const owner = await FeedClient.open(`${feedUrl(hidden.stream_id)}?token=${encodeURIComponent(token)}`);
    clients.push(owner);
    await owner.next((m) => m.type === 'status' && m.stream_id === hidden.stream_id);
  });
});
