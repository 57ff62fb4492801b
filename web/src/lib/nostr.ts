import { useQuery } from '@tanstack/react-query';
import { nip19 } from 'nostr-tools';
import { SimplePool } from 'nostr-tools/pool';
import type { NostrEvent } from '../../../src/protocol/nostr-event';
import { api } from './api';
import type { ServiceInfo } from '../../../src/protocol/api-views';

/** One pool for the app: every subscription and publish goes through it. */
export const pool = new SimplePool();

export function useServiceInfo() {
  return useQuery({ queryKey: ['info'], queryFn: () => api<ServiceInfo>('/api/v1/info'), staleTime: Infinity });
}

/**
 * The built-in relay first, then the external relays the service publishes to, so
 * discovery sees other services' streams there too; the relays a live event names are
 * added where it is read.
 */
export function useRelays(): string[] {
  const info = useServiceInfo();
  return info.data ? [...new Set([info.data.relay, ...info.data.relays])] : [];
}

/** A public key given as 64 hex characters or an npub, as hex; undefined when it is neither. */
export function hexPubkey(value: string): string | undefined {
  if (/^[0-9a-f]{64}$/.test(value)) return value;
  try {
    const decoded = nip19.decode(value);
    return decoded.type === 'npub' ? decoded.data : undefined;
  } catch {
    return undefined;
  }
}

export type { NostrEvent };
