import { setTimeout as sleep } from 'node:timers/promises';
import { verifyEvent, type VerifiedEvent } from 'nostr-tools/pure';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { queryRelay, Relay } from '../../testkit/relay-client.js';
import { freePort, retryingPortRaces, startTestServer, type TestServer } from '../../testkit/server.js';

const wsUrl = (url: string) => `${url.replace('http://', 'ws://')}/`;

async function identityEvents(url: string, pubkey: string): Promise<{ profile?: VerifiedEvent; handler?: VerifiedEvent }> {
  const relay = await Relay.connect(wsUrl(url));
  try {
    const [profile] = await queryRelay(relay, [{ kinds: [0], authors: [pubkey] }]);
    const [handler] = await queryRelay(relay, [{ kinds: [31990], authors: [pubkey] }]);
    return { profile, handler };
  } finally {
    relay.close();
  }
}

/** Both events on `url`, waiting for an outbox that delivers in the background. */
async function waitForIdentity(url: string, pubkey: string): Promise<{ profile: VerifiedEvent; handler: VerifiedEvent }> {
  for (let waited = 0; waited < 10_000; waited += 200) {
    const { profile, handler } = await identityEvents(url, pubkey);
    if (profile && handler) return { profile, handler };
    await sleep(200);
  }
  throw new Error(`the service's kind 0 and 31990 never reached ${url}`);
}

/**
 * The service introduces itself at start: its key's kind 0 and a NIP-89 handler for kind
 * 30311 on the built-in relay and on RELAYS, so clients name the author of its live events
 * and find the web app that opens them.
 */
describe("the service's own profile and NIP-89 handler", () => {
  let external: TestServer;
  let main: TestServer;

  beforeAll(async () => {
    external = await startTestServer('sqlite');
    main = await startTestServer('sqlite', {
      env: {
        RELAYS: wsUrl(external.url),
        SERVICE_NAME: 'Night Radio',
        SERVICE_ABOUT: 'Late-night live sets',
        SERVICE_PICTURE: 'https://images.example.com/night-radio.png',
      },
    });
  });
  afterAll(async () => {
    await main?.destroy();
    await external?.destroy();
  });

  it('publishes a signed kind 0 and a 31990 for kind 30311 with the web URL for naddr, on its relay and RELAYS', async () => {
    const service = main.app.serviceKey.pubkey;
    const { profile, handler } = await waitForIdentity(main.url, service);
    expect(verifyEvent({ ...profile })).toBe(true);
    expect(JSON.parse(profile.content)).toEqual({
      name: 'Night Radio',
      about: 'Late-night live sets',
      picture: 'https://images.example.com/night-radio.png',
      website: main.url,
    });
    expect(verifyEvent({ ...handler })).toBe(true);
    expect(handler.tags).toEqual([
      ['d', 'live-streams'],
      ['k', '30311'],
      ['web', `${main.url}/stream/<bech32>`, 'naddr'],
    ]);
    // NIP-89: the handler's content is kind-0-style metadata.
    expect(JSON.parse(handler.content)).toEqual(JSON.parse(profile.content));

    const mirrored = await waitForIdentity(external.url, service);
    expect(mirrored.profile.id).toBe(profile.id);
    expect(mirrored.handler.id).toBe(handler.id);
  });

  it('signs nothing new at a restart that changes nothing, and a new profile once a setting changes', { timeout: 30_000 }, async () => {
    const service = main.app.serviceKey.pubkey;
    const before = await waitForIdentity(main.url, service);
    main = await main.restart();
    const after = await identityEvents(main.url, service);
    expect(after.profile?.id).toBe(before.profile.id);
    expect(after.handler?.id).toBe(before.handler.id);

    await main.stop();
    const renamed = await retryingPortRaces(async () => {
      const port = await freePort();
      return startApp(
        loadConfig({
          PORT: String(port),
          RTMP_PORT: String(await freePort()),
          HOST: '127.0.0.1',
          DATA_DIR: main.dataDir,
          PUBLIC_URL: `http://127.0.0.1:${port}`,
          SERVICE_NAME: 'Night Radio Live',
        }),
        pino({ level: 'silent' }),
      );
    });
    try {
      const changed = await identityEvents(renamed.config.publicUrl, service);
      expect(JSON.parse(changed.profile?.content ?? '{}')).toEqual({
        name: 'Night Radio Live',
        about: 'Live streams on Nostr',
        website: renamed.config.publicUrl,
      });
      expect(changed.profile?.created_at).toBeGreaterThan(before.profile.created_at);
      expect(changed.handler?.tags).toContainEqual(['web', `${renamed.config.publicUrl}/stream/<bech32>`, 'naddr']);
    } finally {
      await renamed.close();
    }
  });
});
