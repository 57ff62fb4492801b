import type { Duplex } from 'node:stream';

/**
 * How many WebSocket connections one address may hold open at once (relay and real-time
 * feed together), so one client cannot exhaust the process's sockets.
 *
 *   if (!limiter.open(address)) refuse(); else socket.on('close', () => limiter.close(address));
 */
export class ConnectionLimiter {
  private readonly counts = new Map<string, number>();

  constructor(private readonly maxPerAddress: number) {}

  open(address: string): boolean {
    const count = this.counts.get(address) ?? 0;
    if (count >= this.maxPerAddress) return false;
    this.counts.set(address, count + 1);
    return true;
  }

  close(address: string): void {
    const count = (this.counts.get(address) ?? 1) - 1;
    if (count <= 0) this.counts.delete(address);
    else this.counts.set(address, count);
  }
}

/** Over the per-address limit: an HTTP 429 instead of the WebSocket upgrade. */
export function refuseTooMany(socket: Duplex): void {
  socket.end('HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nRetry-After: 30\r\nContent-Length: 0\r\n\r\n');
}
