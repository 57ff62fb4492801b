/**
 * nginx (Debian's) serving a folder of HLS files from disk, as the baseline a load bench
 * measures our origin against: one worker (our origin is one process), keep-alive, sendfile,
 * the same content types, started from a config generated in a temp folder.
 *
 *   const nginx = await startStaticNginx(dataDir);   // serves <dataDir>/hls/… at nginx.url/hls/…
 *   await nginx.stop();
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../testkit/server.js';

export interface StaticNginx {
  readonly url: string;
  /** The master process; its worker is its child. */
  readonly pid: number;
  stop(): Promise<void>;
}

export function nginxConfig(root: string, port: number, prefix: string): string {
  return `
worker_processes 1;
daemon off;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 20000; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  keepalive_timeout 75s;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  types {
    application/vnd.apple.mpegurl m3u8;
    video/mp2t ts;
    video/iso.segment m4s;
    video/mp4 mp4;
    image/jpeg jpg;
  }
  server {
    listen 127.0.0.1:${port};
    root ${root};
    location /hls/ {
      add_header Access-Control-Allow-Origin *;
      location ~ \\.m3u8$ { add_header Cache-Control "public, max-age=1"; add_header Access-Control-Allow-Origin *; }
    }
  }
}
`;
}

export async function startStaticNginx(root: string): Promise<StaticNginx> {
  const binary = spawnSync('sh', ['-c', 'command -v nginx || ls /usr/sbin/nginx'], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
  if (!binary) throw new Error('nginx is not installed: apt-get install -y nginx-light');
  const prefix = mkdtempSync(path.join(tmpdir(), 'wlk-nginx-'));
  const port = await freePort();
  writeFileSync(path.join(prefix, 'nginx.conf'), nginxConfig(root, port, prefix));
  const child: ChildProcess = spawn(binary, ['-p', prefix, '-c', path.join(prefix, 'nginx.conf'), '-e', path.join(prefix, 'error.log')], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 10_000; ; ) {
    if (child.exitCode !== null) throw new Error(`nginx exited at start (code ${child.exitCode}); see ${prefix}/error.log`);
    try {
      await fetch(`${url}/`);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx did not listen on ${url}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    url,
    pid: child.pid ?? -1,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGQUIT');
      await exited;
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}
