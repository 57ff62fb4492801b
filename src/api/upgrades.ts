import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Sends each WebSocket upgrade to the handler for its path (the relay on `/`, the stream's
 * real-time feed on its own path); any other path is answered 404 and closed.
 *
 *   routeUpgrades(app.server, { '/': relay.handleUpgrade });
 */
export function routeUpgrades(server: Server, handlers: Record<string, UpgradeHandler>): void {
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://upgrade').pathname;
    const handler = handlers[path];
    if (handler) return handler(request, socket, head);
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
}
