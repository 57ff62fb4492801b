import { afterAll, beforeAll } from 'vitest';
import type { Engine } from '../src/db/database.js';
import { Relay } from './relay-client.js';
import { startTestServer, type TestServer, type TestServerOptions } from './server.js';

/** Throws until a suite's part has started: fields are read inside tests and hooks, not while collecting them. */
export function started<T>(part: T | undefined, name: string): T {
  if (part === undefined) throw new Error(`the suite's ${name} is not started: read it inside a test or hook`);
  return part;
}

/**
 * The whole service for all of one file's tests: started before them, destroyed after.
 * Call it in the describe block.
 *
 *   const suite = useTestServer('postgres', { env: { RATE_LIMIT_CHAT_PER_PUBKEY: '3' } });
 *   it('…', async () => { await suite.server.call('GET', '/api/v1/streams'); });
 */
export function useTestServer(engine: Engine, options: TestServerOptions = {}): { readonly server: TestServer } {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startTestServer(engine, options);
  });
  afterAll(async () => {
    await server?.destroy();
  });
  return {
    get server() {
      return started(server, 'server');
    },
  };
}

/**
 * The service and one nostr-tools connection to its relay, for all of one file's tests.
 *
 *   const suite = useRelaySuite(engine);
 *   it('…', async () => { await suite.relay.publish(user.sign({ kind: 1, content: 'hi' })); });
 */
export function useRelaySuite(engine: Engine): { readonly server: TestServer; readonly relay: Relay } {
  const service = useTestServer(engine);
  let relay: Relay | undefined;
  beforeAll(async () => {
    relay = await Relay.connect(service.server.url.replace('http://', 'ws://'));
  });
  afterAll(() => relay?.close());
  return {
    get server() {
      return service.server;
    },
    get relay() {
      return started(relay, 'relay');
    },
  };
}
