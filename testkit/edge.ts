import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './server.js';

const SCRIPT = fileURLToPath(new URL('../scripts/edge.sh', import.meta.url));

export interface EdgeOptions {
  /** The nodes' base URLs (`http://127.0.0.1:8080`): web app, API and relay go to any of them. */
  readonly nodes: readonly string[];
  /** Where HLS requests go (default: every node); one node pins playback to it. */
  readonly hlsNodes?: readonly string[];
  /** `stream`: all of a stream's requests to one node, by its id. */
  readonly balance?: 'round-robin' | 'stream';
  /** `host:port` of a node's `EDGE_LOG_LISTEN`: the edge's viewers are counted from its log there. */
  readonly viewerLog?: string;
  /** nginx-rtmp as ingest in front: the node RTMP port it pushes to (`127.0.0.1:1935`); on_publish goes to the first node. */
  readonly rtmpNode?: string;
  /** nginx worker processes; one is plenty for a test, a benchmark wants `auto`. */
  readonly workers?: number | 'auto';
}

export interface Edge {
  /** The edge's HTTP address, the one public address of the cluster. */
  readonly url: string;
  /** `rtmp://127.0.0.1:<port>/live` when nginx-rtmp runs in front; append `/<stream key>`. */
  readonly rtmpUrl: string | undefined;
  readonly dir: string;
  /** nginx's master process (the script execs it); its workers are its children. */
  readonly pid: number;
  /** What nginx wrote to stderr (its error log). */
  errors(): string;
  stop(): Promise<void>;
}

/**
 * Debian's nginx as the HLS edge (and, with `rtmpNode`, nginx-rtmp as ingest) in front of
 * running nodes, from the same template and script operators use (scripts/edge.sh), on free
 * ports in a temporary folder. For tests and for pointing the load benchmark through the edge.
 *
 *   const edge = await startEdge({ nodes: [nodeA.url, nodeB.url], viewerLog: '127.0.0.1:5140' });
 *   await fetch(`${edge.url}/hls/${id}/master.m3u8`);
 *   await edge.stop();
 */
export async function startEdge(options: EdgeOptions): Promise<Edge> {
  // A port free when asked may be taken before nginx binds it (parallel test files): start again.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnce(options);
    } catch (error) {
      if (!(error instanceof Error && /Address already in use/.test(error.message)) || attempt === 5) throw error;
    }
  }
}

async function startOnce(options: EdgeOptions): Promise<Edge> {
  const dir = mkdtempSync(path.join(tmpdir(), 'wlk-edge-'));
  const port = await freePort();
  const rtmpPort = options.rtmpNode === undefined ? undefined : await freePort();
  const args = [SCRIPT, '--dir', dir, '--listen', `127.0.0.1:${port}`, '--workers', String(options.workers ?? 1)];
  for (const node of options.nodes) args.push('--node', node);
  for (const node of options.hlsNodes ?? []) args.push('--hls-node', node);
  if (options.balance) args.push('--hls-balance', options.balance);
  if (options.viewerLog) args.push('--viewer-log', options.viewerLog);
  if (options.rtmpNode !== undefined && rtmpPort !== undefined) args.push('--rtmp-listen', `127.0.0.1:${rtmpPort}`, '--rtmp-node', options.rtmpNode);
  const child = spawn('bash', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // nginx outliving a crashed test run would hold its ports: it goes with this process.
  const onExit = () => child.kill('SIGTERM');
  process.once('exit', onExit);
  const stop = async () => {
    process.off('exit', onExit);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  };
  try {
    await listening(child, exited, port, () => stderr);
    if (rtmpPort !== undefined) await listening(child, exited, rtmpPort, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    rtmpUrl: rtmpPort === undefined ? undefined : `rtmp://127.0.0.1:${rtmpPort}/live`,
    dir,
    pid: child.pid ?? -1,
    errors: () => stderr,
    stop,
  };
}

/** Resolves once nginx accepts connections on the port; rejects with its error log if it exits first. */
async function listening(child: ChildProcess, exited: Promise<number | null>, port: number, errors: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  let gone = false;
  void exited.then(() => (gone = true));
  while (Date.now() < deadline) {
    if (gone) throw new Error(`nginx (scripts/edge.sh) exited with ${child.exitCode}: ${errors().trim()}`);
    if (await accepts(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nginx did not listen on port ${port} within 10 s: ${errors().trim()}`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
