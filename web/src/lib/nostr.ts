import { useQuery } from '@tanstack/react-query';
import { nip19 } from 'nostr-tools';
import { SimplePool } from 'nostr-tools/pool';
import { KIND } from '../../../src/protocol/kinds';
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

export interface Profile {
  name?: string;
  display_name?: string;
  picture?: string;
  about?: string;
}

/** A user's kind 0 name and picture. */
export function useProfile(pubkey: string | undefined) {
  const relays = useRelays();
  return useQuery({
    queryKey: ['profile', pubkey, relays],
    enabled: pubkey !== undefined && relays.length > 0,
    staleTime: 5 * 60_000,
    queryFn: async (): Promise<Profile | null> => {
      const event = await pool.get(relays, { kinds: [KIND.metadata], authors: [pubkey ?? ''] }, { maxWait: 3000 });
      if (!event) return null;
      try {
        return JSON.parse(event.content) as Profile;
      } catch {
        return null;
      }
    },
  });
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

export function displayName(pubkey: string, profile: Profile | null | undefined): string {
  return profile?.display_name || profile?.name || `${pubkey.slice(0, 8)}…`;
}

export type { NostrEvent };
