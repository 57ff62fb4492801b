import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const SCRIPT = path.resolve('scripts/edge.sh');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs scripts/edge.sh --render-only (which also runs `nginx -t` on what it wrote). */
function render(...args: string[]) {
  const dir = mkdtempSync(path.join(tmpdir(), 'wlk-edge-conf-'));
  dirs.push(dir);
  const run = spawnSync('bash', [SCRIPT, '--dir', dir, '--render-only', ...args], { encoding: 'utf8' });
  const read = (name: string) => readFileSync(path.join(dir, name), 'utf8');
  return { status: run.status, stderr: run.stderr, read };
}

/**
 * scripts/edge.sh, the one renderer of deploy/nginx/*.conf.template: what it writes is a config
 * nginx accepts, with every placeholder filled, and what it is given is checked before it goes
 * into nginx's config.
 */
describe('scripts/edge.sh', () => {
  it('renders an edge nginx accepts, every placeholder filled, for the nodes, the viewer log and nginx-rtmp', () => {
    const { status, stderr, read } = render(
      '--listen', '127.0.0.1:18080', '--node', 'http://127.0.0.1:9001', '--node', 'http://127.0.0.1:9002/',
      '--hls-node', 'http://127.0.0.1:9001', '--hls-balance', 'stream', '--viewer-log', '127.0.0.1:5140',
      '--rtmp-listen', '127.0.0.1:19350', '--rtmp-node', '127.0.0.1:9935',
    );
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const edge = read('nginx.conf');
    const ingest = read('ingest.conf');
    expect(`${edge}${ingest}`).not.toMatch(/@[A-Z_]+@/);
    const upstream = (name: string) => /upstream (\S+) \{([^}]*)\}/g.exec(edge.slice(edge.indexOf(`upstream ${name}`)))?.[2] ?? '';
    expect(upstream('wavlake_app').match(/server \S+/g)).toEqual(['server 127.0.0.1:9001', 'server 127.0.0.1:9002']);
    expect(upstream('wavlake_hls').match(/server \S+|hash \S+/g)).toEqual(['hash $wavlake_stream', 'server 127.0.0.1:9001']);
    expect(edge).toContain('access_log syslog:server=127.0.0.1:5140,tag=wavlake,nohostname wavlake_viewers if=$wavlake_playlist;');
    expect(edge).toContain('proxy_set_header X-Wavlake-Counted edge-log;');
    expect(edge).toMatch(/^load_module \/usr\/lib\/nginx\/modules\/ngx_rtmp_module\.so;/m);
    expect(ingest).toContain('on_publish http://127.0.0.1:9001/api/v1/streams/auth?check_only=1;');
    expect(ingest).toContain('push rtmp://127.0.0.1:9935/live;');
  });

  it('leaves the viewer log, its marker and nginx-rtmp out unless asked for', () => {
    const { status, read } = render('--listen', '127.0.0.1:18080', '--node', 'http://127.0.0.1:9001');
    expect(status).toBe(0);
    const edge = read('nginx.conf');
    expect(edge).not.toContain('syslog:');
    expect(edge).not.toContain('X-Wavlake-Counted');
    expect(edge).not.toContain('load_module');
    expect(edge).not.toContain('ingest.conf');
  });

  it.each([
    [['--node', '127.0.0.1:9001'], '127.0.0.1:9001 is not http://host:port'],
    [['--node', 'http://127.0.0.1:9001;include /etc/passwd'], 'is not http://host:port'],
    [['--node', 'http://127.0.0.1:9001', '--viewer-log', '127.0.0.1'], '--viewer-log 127.0.0.1 is not host:port'],
    [['--node', 'http://127.0.0.1:9001', '--hls-balance', 'random'], '--hls-balance is round-robin or stream'],
    [[], 'give at least one --node'],
  ])('refuses %j, saying why', (args, message) => {
    const { status, stderr } = render(...args);
    expect(status).toBe(2);
    expect(stderr).toContain(message);
  });
});
