import type { IncomingMessage } from 'node:http';
import proxyaddr from '@fastify/proxy-addr';

/**
 * Who the client is, for the per-address limits: the socket's peer, or the address a trusted
 * proxy forwarded. Trusted proxies come from `TRUST_PROXY` (addresses, CIDR ranges or the
 * names `loopback`, `linklocal`, `uniquelocal`); with none, a client cannot dodge the limits
 * by sending its own `X-Forwarded-For`. HTTP (Fastify's `trustProxy`), the relay and the feed
 * all use the same rule.
 *
 *   const addresses = clientAddresses(config.trustedProxies);
 *   limiter.open(addresses.of(request));
 */
export interface ClientAddresses {
  of(request: IncomingMessage): string;
  /** The socket's own peer is this machine or a trusted proxy (e.g. nginx-rtmp calling back). */
  peerIsTrusted(request: IncomingMessage): boolean;
  /** `address` is a proxy named in `TRUST_PROXY` (many clients arrive through it). */
  isTrustedProxy(address: string): boolean;
  /** `address` is this machine or a trusted proxy: `peerIsTrusted` for a sender known by its address (a UDP datagram's). */
  isLocalOrTrusted(address: string): boolean;
}

export function clientAddresses(trustedProxies: readonly string[]): ClientAddresses {
  const trust = proxyaddr.compile([...trustedProxies]);
  const local = proxyaddr.compile(['loopback', ...trustedProxies]);
  return {
    of: (request) => proxyaddr(request, trust) || 'unknown',
    peerIsTrusted: (request) => {
      const peer = request.socket.remoteAddress;
      return peer !== undefined && local(peer, 0);
    },
    isTrustedProxy: (address) => trust(address, 0),
    isLocalOrTrusted: (address) => local(address, 0),
  };
}

/** Throws, naming the entry, when one is neither an address, a CIDR range nor a known name. */
export function checkTrustedProxies(trustedProxies: readonly string[]): void {
  proxyaddr.compile([...trustedProxies]);
}
