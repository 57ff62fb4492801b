import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { VerifiedEvent } from 'nostr-tools/pure';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLiveEvent, type LiveEvent } from '../../src/protocol/live-event.js';
import { eventually } from '../../testkit/streams.js';
import { TestUser } from '../../testkit/nostr.js';
import { queryRelay, Relay } from '../../testkit/relay-client.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';
import { callService, runningService, type RunningService } from '../../testkit/service-process.js';

const GRACE_SECONDS = 3;
const unixNow = () => Math.floor(Date.now() / 1000);

/**
 * Issue 12: a service that is stopped must not leave its streams `live` on external relays
 * for ever. Its live 30311s expire (NIP-40), the one signed at SIGTERM as soon as the
 * reconnect grace would have run out, and the next start ends the stream for good.
 * The external relay is the built-in relay of a second instance: a real NIP-01/NIP-40 relay.
 */
describe("a stopped service's last 30311 on an external relay", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wlk-expiry-'));
  const alice = new TestUser();
  let external: TestServer;
  let env: Record<string, string>;
  let service: RunningService | undefined;

  beforeAll(async () => {
    external = await startTestServer('sqlite');
    env = { RELAYS: `${external.url.replace('http://', 'ws://')}/`, RECONNECT_GRACE_SECONDS: String(GRACE_SECONDS) };
  });
  afterAll(async () => {
    if (service && service.child.exitCode === null) {
      service.child.kill('SIGKILL');
      await service.exited;
    }
    await external?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function onExternal(streamId: string): Promise<{ raw: VerifiedEvent; event: LiveEvent } | undefined> {
    const relay = await Relay.connect(`${external.url.replace('http://', 'ws://')}/`);
    try {
      const [raw] = await queryRelay(relay, [{ kinds: [30311], '#d': [streamId] }]);
      const parsed = raw ? parseLiveEvent(raw) : undefined;
      return raw && parsed?.ok ? { raw, event: parsed.value } : undefined;
    } finally {
      relay.close();
    }
  }

  it('expires soon after SIGTERM, and is ended without an expiration by the next start', { timeout: 90_000 }, async () => {
    service = await runningService(dataDir, env);
    const port = new URL(service.url).port;
    const created = await callService<{ stream_id: string; stream_key: string }>(service, 'POST', '/api/v1/streams/create', {
      as: alice,
      json: { title: 'Last call', category: 'music', quality: '480p' },
    });
    expect(created.status).toBe(201);
    const { stream_id: streamId, stream_key: key } = created.body;
    // An encoder attached through the nginx-rtmp callback, then Go Live.
    expect((await callService(service, 'POST', '/api/v1/streams/auth', { json: { name: key, call: 'publish' } })).status).toBe(200);
    expect((await callService(service, 'POST', `/api/v1/streams/${streamId}/start`, { as: alice })).status).toBe(200);

    const live = await eventually('live on the external relay', async () => {
      const found = await onExternal(streamId);
      return found?.event.status === 'live' ? found.event : undefined;
    });
    // A running service's live event is good for three refreshes (15 minutes).
    expect(live.expiration).toBe(live.createdAt + 15 * 60);

    service.child.kill('SIGTERM');
    expect((await service.exited).code).toBe(0);
    const stopped = unixNow();
    const last = await onExternal(streamId);
    expect(last?.event.status).toBe('live');
    // Signed at shutdown: believed only until the grace would have run out, plus a minute.
    expect(last?.event.createdAt).toBeGreaterThan(live.createdAt);
    // created_at is kept strictly increasing per stream, so when the planned, live and shutdown
    // events fall within a second or two it runs that many seconds ahead of the clock.
    expect(last?.event.createdAt).toBeLessThanOrEqual(stopped + 3);
    expect(last?.event.expiration).toBe((last?.event.createdAt ?? 0) + GRACE_SECONDS + 60);

    // The service comes back; the encoder does not: the stream ends after the grace.
    service = await runningService(dataDir, { ...env, PORT: port });
    const ended = await eventually('ended on the external relay', async () => {
      const found = await onExternal(streamId);
      return found?.event.status === 'ended' ? found : undefined;
    });
    expect(ended.raw.tags.some(([name]) => name === 'expiration')).toBe(false);
    expect(ended.event.ends).toBeGreaterThanOrEqual(live.starts ?? 0);

    service.child.kill('SIGTERM');
    expect((await service.exited).code).toBe(0);
  });
});
