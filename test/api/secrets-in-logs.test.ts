import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestUser } from '../../testkit/nostr.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';

describe('secrets stay out of the logs', () => {
  let server: TestServer;
  let logged = '';
  const log = new PassThrough();
  log.on('data', (chunk: Buffer) => (logged += chunk.toString()));

  beforeAll(async () => {
    server = await startTestServer('sqlite', { log });
  });
  afterAll(async () => {
    await server.destroy();
  });

  it('never writes a stream key, even refused ones, nor the service secret', async () => {
    const alice = new TestUser();
    const created = await server.call<{ stream_id: string; stream_key: string }>('POST', '/api/v1/streams/create', {
      as: alice,
      json: { title: 'Secret test', category: 'talk' },
    });
    expect(created.status).toBe(201);
    const { stream_id: id, stream_key: firstKey } = created.body;
    const regenerated = await server.call<{ stream_key: string }>('POST', `/api/v1/streams/${id}/key`, { as: alice });
    const wrongKey = 'wlk_live_0123456789abcdef0123456789abcdef';
    for (const name of [firstKey, regenerated.body.stream_key, wrongKey]) {
      await server.call('POST', '/api/v1/streams/auth', { json: { name, call: 'publish' } });
    }
    await new Promise((resolve) => setImmediate(resolve));

    // The log is not empty: it recorded the refusals and the allowed publish.
    expect(logged).toContain('publish refused');
    expect(logged).toContain('publish allowed');
    for (const secret of [firstKey, regenerated.body.stream_key, wrongKey]) expect(logged).not.toContain(secret);
    expect(logged).not.toMatch(/wlk_live_[0-9a-f]{32}/);
  });

  it('never writes the share token of a private stream into the request log', async () => {
    const alice = new TestUser();
    const created = await server.call<{ stream_id: string }>('POST', '/api/v1/streams/create', {
      as: alice,
      json: { title: 'Private one', category: 'talk', visibility: 'private' },
    });
    const status = await server.call<{ share_url: string }>('GET', `/api/v1/streams/${created.body.stream_id}/status`, {
      as: alice,
    });
    const token = new URL(status.body.share_url).searchParams.get('token');
    expect(token).toBeTruthy();
    const playlist = await fetch(`${server.url}/hls/${created.body.stream_id}/master.m3u8?token=${token}`);
    await playlist.arrayBuffer();
    await new Promise((resolve) => setImmediate(resolve));

    // The request was logged, with its path but not its token.
    expect(logged).toContain(`/hls/${created.body.stream_id}/master.m3u8?token=[redacted]`);
    expect(logged).not.toContain(String(token));
  });
});
