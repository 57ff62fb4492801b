import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import type { ClientAddresses } from '../abuse/client-address.js';
import { ConnectionLimiter } from '../abuse/connection-limiter.js';

export interface ConnectionGuardOptions {
  readonly logger: FastifyBaseLogger;
  readonly addresses: ClientAddresses;
  /** Open connections one address may hold (`RATE_LIMIT_HTTP_PER_ADDRESS`); trusted proxies are exempt. */
  readonly perAddress: number;
  /** The process's open-files limit; read from /proc when not given (undefined where there is none). */
  readonly openFilesLimit?: number | undefined;
}

/** How often a refusal is logged at most: a flood must not flood the log too. */
const LOG_EVERY_MS = 60_000;

/**
 * Limits the HTTP server's connections (WebSockets included, they are HTTP connections first):
 * each address may hold `perAddress` at once, and all of them together leave a quarter of
 * the open-files limit to RTMP, ffmpeg, the database and the HLS files. Without the second
 * limit a flood of connections takes every descriptor, and the kernel's refusals of new
 * ones (EMFILE) go unseen: libuv closes them without telling Node. Either refusal is logged,
 * with what the operator can do.
 *
 *   guardConnections(app.server, { logger, addresses, perAddress: 256 });
 */
export function guardConnections(server: Server, options: ConnectionGuardOptions): void {
  const perAddress = new ConnectionLimiter(options.perAddress);
  const limit = 'openFilesLimit' in options ? options.openFilesLimit : openFilesLimit();
  const refusedForAddress = new ThrottledLog(options.logger);
  const refusedForProcess = new ThrottledLog(options.logger);

  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    if (address === undefined || options.addresses.isTrustedProxy(address)) return;
    if (perAddress.hold(address, socket)) return;
    socket.destroy();
    refusedForAddress.warn(
      { remoteAddress: address, limit: options.perAddress },
      'HTTP connections refused: this address already holds RATE_LIMIT_HTTP_PER_ADDRESS open connections; if many users share it, raise the setting or list their proxy in TRUST_PROXY',
    );
  });

  if (limit === undefined) return;
  server.maxConnections = limit - Math.max(128, Math.floor(limit / 4));
  server.on('drop', () =>
    refusedForProcess.warn(
      { connections: server.maxConnections, openFilesLimit: limit },
      'HTTP connections refused: the service holds all the connections its open-files limit allows; raise the limit (ulimit -n, or LimitNOFILE in systemd) or add nodes',
    ),
  );
}

/** The soft open-files limit of this process, from Linux's /proc; undefined elsewhere. */
export function openFilesLimit(): number | undefined {
  try {
    const line = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return line?.[1] === undefined ? undefined : Number(line[1]);
  } catch {
    return undefined;
  }
}

/** One warning per LOG_EVERY_MS, counting the refusals since the last one. */
class ThrottledLog {
  private refused = 0;
  private loggedAt = 0;

  constructor(private readonly logger: FastifyBaseLogger) {}

  warn(fields: object, message: string): void {
    this.refused += 1;
    const now = Date.now();
    if (now - this.loggedAt < LOG_EVERY_MS) return;
    this.logger.warn({ ...fields, refused: this.refused }, message);
    this.refused = 0;
    this.loggedAt = now;
  }
}
