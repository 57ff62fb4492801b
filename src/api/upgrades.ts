import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ClientAddresses } from '../abuse/client-address.js';

/** `address` is the client as the per-address limits see it (see `ClientAddresses`). */
export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer, address: string) => void;

/**
 * Sends each WebSocket upgrade to the handler its path resolves to (the relay on `/`, a
 * stream's real-time feed on `/api/v1/streams/<id>/ws`); any other path is answered 404.
 *
 *   routeUpgrades(app.server, addresses, (path) => (path === '/' ? relay.handleUpgrade : undefined));
 */
export function routeUpgrades(
  server: Server,
  addresses: ClientAddresses,
  resolve: (path: string) => UpgradeHandler | undefined,
): void {
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://upgrade').pathname;
    const handler = resolve(path);
    if (handler) return handler(request, socket, head, addresses.of(request));
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
}
