import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { pino } from 'pino';
import { startApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import type { Engine } from '../src/db/database.js';
import { databaseUrlFor } from './engines.js';
import type { TestUser } from './nostr.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface TestServer {
  readonly app: App;
  readonly url: string;
  readonly dataDir: string;
  /** One HTTP call, NIP-98-signed by `as` when given. */
  call<Body = unknown>(method: string, pathAndQuery: string, options?: CallOptions): Promise<CallResult<Body>>;
  /** Stops the server and starts a new one on the same data folder and database. */
  restart(): Promise<TestServer>;
  /** Stops the server; the data folder and database stay until `destroy`. */
  stop(): Promise<void>;
  destroy(): Promise<void>;
}

export interface CallOptions {
  readonly as?: TestUser;
  readonly json?: unknown;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export interface CallResult<Body = unknown> {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON, or the text when the answer is not JSON. */
  readonly body: Body;
}

/**
 * The whole service, started in this process on free ports against a fresh data folder
 * and database of the given engine, and reached over real HTTP.
 *
 *   const server = await startTestServer('postgres');
 *   const { status, body } = await server.call('POST', '/api/v1/streams/create', { as: alice, json });
 */
export interface TestServerOptions {
  readonly env?: Record<string, string>;
  /** Where the service's JSON log lines go (at info level); without it, logging is off. */
  readonly log?: Writable;
}

export async function startTestServer(engine: Engine, options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wlk-test-'));
  const database = await databaseUrlFor(engine);
  return startOn(dataDir, database, options);
}

type TestDatabase = { url: string | undefined; drop(): Promise<void> };

/**
 * A port from `freePort()` is free when asked and may be taken by a parallel test file before
 * we bind it: start again on fresh ports when that happens.
 */
/**
 * Runs `start` again (up to 5 times) while it fails with EADDRINUSE: a port `freePort` found
 * free can be taken by a test in the other worker before the service binds it.
 */
export async function retryingPortRaces<T>(start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await start();
    } catch (error) {
      const inUse = error instanceof Error && 'code' in error && error.code === 'EADDRINUSE';
      if (!inUse || attempt === 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

function startOn(dataDir: string, database: TestDatabase, options: TestServerOptions): Promise<TestServer> {
  return retryingPortRaces(() => startOnce(dataDir, database, options));
}

async function startOnce(dataDir: string, database: TestDatabase, options: TestServerOptions): Promise<TestServer> {
  const port = options.env?.PORT ? Number(options.env.PORT) : await freePort();
  const config = loadConfig({
    PORT: String(port),
    RTMP_PORT: String(await freePort()),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: database.url,
    LOG_LEVEL: options.log ? 'info' : 'silent',
    ...options.env,
  });
  const logger = options.log ? pino({ level: config.logLevel }, options.log) : pino({ level: config.logLevel });
  const app = await startApp(config, logger);
  const url = config.publicUrl;

  const call = async <Body,>(method: string, pathAndQuery: string, callOptions: CallOptions = {}): Promise<CallResult<Body>> => {
    const target = `${url}${pathAndQuery}`;
    const body = callOptions.body ?? (callOptions.json === undefined ? undefined : JSON.stringify(callOptions.json));
    const headers: Record<string, string> = { ...callOptions.headers };
    if (callOptions.json !== undefined) headers['content-type'] ??= 'application/json';
    if (callOptions.as) headers.authorization = await callOptions.as.authHeader(target, method, callOptions.json);
    const response = await fetch(target, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: the test sees the text
    }
    // The caller names the shape it expects and asserts on it.
    return { status: response.status, headers: response.headers, body: parsed as Body };
  };

  return {
    app,
    url,
    dataDir,
    call,
    /** Same data folder, database and port: clients reconnect to the same address. */
    restart: async () => {
      await app.close();
      return startOn(dataDir, database, { ...options, env: { ...options.env, PORT: String(port) } });
    },
    stop: () => app.close(),
    destroy: async () => {
      await app.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}
