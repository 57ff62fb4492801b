import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkTrustedProxies, clientAddresses } from './client-address.js';

function request(peer: string, forwardedFor?: string): IncomingMessage {
  const headers = forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor };
  // Only the two fields proxy-addr reads.
  return { socket: { remoteAddress: peer }, headers } as unknown as IncomingMessage;
}

describe('client addresses', () => {
  it('ignores X-Forwarded-For when no proxy is trusted', () => {
    const addresses = clientAddresses([]);
    expect(addresses.of(request('203.0.113.5', '198.51.100.1'))).toBe('203.0.113.5');
    expect(addresses.of(request('127.0.0.1', '198.51.100.1'))).toBe('127.0.0.1');
  });

  it('believes X-Forwarded-For only from a trusted proxy', () => {
    const addresses = clientAddresses(['10.0.0.0/8']);
    expect(addresses.of(request('10.1.2.3', '198.51.100.1'))).toBe('198.51.100.1');
    expect(addresses.of(request('203.0.113.5', '198.51.100.1'))).toBe('203.0.113.5');
    // A client behind the proxy cannot prepend its own hop: only the last untrusted one counts.
    expect(addresses.of(request('10.1.2.3', '192.0.2.9, 198.51.100.1'))).toBe('198.51.100.1');
  });

  it('treats this machine and trusted proxies as callers whose forwarded fields may be believed', () => {
    const addresses = clientAddresses(['192.0.2.10']);
    expect(addresses.peerIsTrusted(request('127.0.0.1'))).toBe(true);
    expect(addresses.peerIsTrusted(request('::1'))).toBe(true);
    expect(addresses.peerIsTrusted(request('192.0.2.10'))).toBe(true);
    expect(addresses.peerIsTrusted(request('203.0.113.5'))).toBe(false);
  });

  it('refuses an entry that is not an address, range or known name', () => {
    expect(() => checkTrustedProxies(['loopback', '10.0.0.0/8', '::1'])).not.toThrow();
    expect(() => checkTrustedProxies(['proxy.example.com'])).toThrow(/invalid IP address/);
  });
});
