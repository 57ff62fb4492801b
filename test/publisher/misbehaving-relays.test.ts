import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../testkit/streams.js';
import { garbageRelay, hangingUpRelay, scriptedRelay, silentRelay, type FakeRelayServer, type ScriptedRelayServer } from '../../testkit/misbehaving-relays.js';
import { TestUser } from '../../testkit/nostr.js';
import { queryRelay, Relay } from '../../testkit/relay-client.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';
import { callService, runningService, type RunningService } from '../../testkit/service-process.js';

interface LogLine {
  msg: string;
  relay?: string;
}

const logLines = (service: RunningService): LogLine[] =>
  service
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

/**
 * Issue 12 item 1: external relays that misbehave in every way a socket can, against a real
 * service process. None of them may take it down; each is retried, and a good relay beside
 * them still gets every event.
 */
describe('misbehaving external relays', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wlk-relays-'));
  const alice = new TestUser();
  let good: TestServer;
  let service: RunningService;
  const relays: FakeRelayServer[] = [];
  let neverOk: ScriptedRelayServer;
  let urls: Record<'silent' | 'garbage' | 'hangsUp' | 'neverOk', string>;

  beforeAll(async () => {
    good = await startTestServer('sqlite');
    const silent = await silentRelay();
    const garbage = await garbageRelay();
    const hangsUp = await hangingUpRelay();
    // Completes the handshake, reads every EVENT and never answers OK.
    neverOk = await scriptedRelay();
    relays.push(silent, garbage, hangsUp, neverOk);
    urls = { silent: silent.url, garbage: garbage.url, hangsUp: hangsUp.url, neverOk: neverOk.url };
    const goodUrl = `${good.url.replace('http://', 'ws://')}/`;
    // A short timeout: the silent and the never-OK relay cost one timeout per try (10 s by default).
    service = await runningService(dataDir, { RELAYS: [...Object.values(urls), goodUrl].join(','), RELAY_PUBLISH_TIMEOUT_SECONDS: '3' });
  }, 60_000);

  afterAll(async () => {
    if (service && service.child.exitCode === null) {
      service.child.kill('SIGKILL');
      await service.exited;
    }
    await Promise.all(relays.map((relay) => relay.close()));
    await good?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function createStream(title: string): Promise<string> {
    const { status, body } = await callService<{ stream_id: string }>(service, 'POST', '/api/v1/streams/create', {
      as: alice,
      json: { title, category: 'music', quality: '480p' },
    });
    expect(status).toBe(201);
    return body.stream_id;
  }

  async function onGoodRelay(streamId: string): Promise<true | undefined> {
    const relay = await Relay.connect(`${good.url.replace('http://', 'ws://')}/`);
    try {
      return (await queryRelay(relay, [{ kinds: [30311], '#d': [streamId] }])).length > 0 ? true : undefined;
    } finally {
      relay.close();
    }
  }

  it('stays up, retries each of them, and keeps delivering to the good relay', { timeout: 90_000 }, async () => {
    const exited = service.exited.then(({ code, signal, stderr }) => {
      throw new Error(`the service exited (${code ?? signal}): ${stderr}`);
    });
    exited.catch(() => undefined); // raced below; the SIGTERM at the end is expected
    const first = await createStream('Through the storm');
    await Promise.race([eventually('the good relay to get the event', () => onGoodRelay(first)), exited]);

    // Two failed tries each: the silent and the never-OK relay each take the timeout per try.
    const failures = (url: string) =>
      logLines(service).filter((line) => line.msg === 'publishing to relay failed; will retry' && line.relay === url).length;
    await Promise.race([
      eventually('two failed tries per bad relay', async () => (Object.values(urls).every((url) => failures(url) >= 2) ? true : undefined), 45_000),
      exited,
    ]);
    expect(neverOk.received.filter((message) => message.startsWith('["EVENT"')).length).toBeGreaterThanOrEqual(2);

    await sleep(1000);
    expect(service.child.exitCode).toBeNull();
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    const second = await createStream('After the storm');
    await Promise.race([eventually('the good relay to get the second event', () => onGoodRelay(second)), exited]);

    // Sockets stuck opening do not hold up a clean shutdown.
    service.child.kill('SIGTERM');
    expect((await service.exited).code).toBe(0);
  });
});
