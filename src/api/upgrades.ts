import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ClientAddresses } from '../abuse/client-address.js';
import type { ConnectionLimiter } from '../abuse/connection-limiter.js';

/** `address` is the client as the per-address limits see it (see `ClientAddresses`). */
export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer, address: string) => void;

/**
 * Sends each WebSocket upgrade to the handler its path resolves to (the relay on `/`, a
 * stream's real-time feed on `/api/v1/streams/<id>/ws`); any other path is answered 404.
 * Each upgrade holds one of its address's slots in `connections` until its socket closes,
 * whether the handshake succeeds or not; over the limit it is answered 429.
 *
 *   routeUpgrades(app.server, addresses, limiter, (path) => relay.upgrade(path) ?? feed.upgrade(path));
 */
export function routeUpgrades(
  server: Server,
  addresses: ClientAddresses,
  connections: ConnectionLimiter,
  resolve: (path: string) => UpgradeHandler | undefined,
): void {
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node's HTTP server stops listening for this socket's errors when it hands it over: a client
    // resetting it while it is refused or its stream looked up would be an unhandled 'error' that
    // ends the process. Nothing is left to do for a reset connection; its 'close' frees the slot.
    socket.on('error', () => undefined);
    const path = new URL(request.url ?? '/', 'http://upgrade').pathname;
    const handler = resolve(path);
    if (!handler) return refuseUpgrade(socket, '404 Not Found');
    const address = addresses.of(request);
    if (!connections.hold(address, socket)) return refuseUpgrade(socket, '429 Too Many Requests', ['Retry-After: 30']);
    handler(request, socket, head, address);
  });
}

/**
 * Answers an upgrade with an HTTP error and closes the socket once it is sent: the HTTP
 * server no longer watches an upgraded socket, and `end()` alone would leave it half-open
 * for as long as the client likes.
 */
export function refuseUpgrade(socket: Duplex, status: string, headers: readonly string[] = []): void {
  socket.once('finish', () => socket.destroy());
  socket.end([`HTTP/1.1 ${status}`, 'Connection: close', ...headers, 'Content-Length: 0', '', ''].join('\r\n'));
}
