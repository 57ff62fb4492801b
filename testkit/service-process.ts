import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { TestUser } from './nostr.js';
import { freePort } from './server.js';

const MAIN = path.resolve('src/main.ts');

export interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface LaunchedService {
  readonly child: ChildProcess;
  readonly exited: Promise<Exited>;
  /** What the process has written to stdout so far (its JSON log lines). */
  stdout(): string;
}

/** The service as an operator runs it: its own process, configured by environment (`nodeArgs`: flags for node itself, e.g. `--cpu-prof`). */
export function launch(env: Record<string, string>, args: string[] = [], nodeArgs: string[] = []): LaunchedService {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', MAIN, ...args], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Exited>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, exited, stdout: () => stdout };
}

/** Start-up compiles the TypeScript first: on a loaded machine that takes a while. */
async function waitForHealth(url: string, timeoutMs = 30_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`service at ${url} never became healthy`);
}

export interface RunningService extends LaunchedService {
  readonly url: string;
}

/** A service process on free ports (or the given PORT) over `dataDir`, once it answers /healthz. */
export async function runningService(dataDir: string, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<RunningService> {
  const port = env.PORT ?? String(await freePort());
  const rtmpPort = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const service = launch({ PORT: port, RTMP_PORT: String(rtmpPort), DATA_DIR: dataDir, HOST: '127.0.0.1', PUBLIC_URL: url, ...env }, [], nodeArgs);
  try {
    await Promise.race([
      waitForHealth(url),
      service.exited.then(({ stderr }) => {
        throw new Error(`service exited: ${stderr}`);
      }),
    ]);
  } catch (error) {
    // Nobody else holds this process: it must not outlive a start that failed.
    if (service.child.exitCode === null) service.child.kill('SIGKILL');
    throw error;
  }
  return { url, ...service };
}

/** One HTTP call to a service process, NIP-98-signed by `as` when given; the body parsed as JSON. */
export async function callService<Body = unknown>(
  service: Pick<RunningService, 'url'>,
  method: string,
  pathAndQuery: string,
  options: { as?: TestUser; json?: unknown } = {},
): Promise<{ status: number; body: Body }> {
  const target = `${service.url}${pathAndQuery}`;
  const headers: Record<string, string> = {};
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  if (options.as) headers.authorization = await options.as.authHeader(target, method, options.json);
  const response = await fetch(target, { method, headers, body: options.json === undefined ? undefined : JSON.stringify(options.json) });
  const text = await response.text();
  // The caller names the shape it expects and asserts on it.
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Body };
}

/** SIGTERM (a graceful exit, which is also when `--cpu-prof` writes its profile), then SIGKILL if it takes longer than `graceMs`. */
export async function stopService(service: LaunchedService, graceMs = 15_000): Promise<void> {
  if (service.child.exitCode !== null || service.child.signalCode !== null) return;
  service.child.kill('SIGTERM');
  await Promise.race([service.exited, new Promise((resolve) => setTimeout(resolve, graceMs))]);
  if (service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGKILL');
}
