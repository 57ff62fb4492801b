import type { Duplex } from 'node:stream';

/**
 * How many connections one address may hold open at once, so one client cannot exhaust the
 * process's sockets: WebSockets (relay and real-time feed together) and RTMP each have one.
 *
 *   if (!limiter.hold(address, socket)) refuse();              // freed when the socket closes
 *   if (!limiter.open(address)) refuse(); else later limiter.close(address);
 */
export class ConnectionLimiter {
  private readonly counts = new Map<string, number>();

  constructor(private readonly maxPerAddress: number) {}

  /**
   * Takes a slot for as long as `socket` is open. It comes back when the socket closes, however
   * that happens (a refused handshake, the client hanging up first, the connection ending),
   * so no path can keep it.
   */
  hold(address: string, socket: Duplex): boolean {
    if (!this.open(address)) return false;
    if (socket.destroyed) this.close(address);
    else socket.once('close', () => this.close(address));
    return true;
  }

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
