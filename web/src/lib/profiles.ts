import { useQuery } from '@tanstack/react-query';
import { KIND } from '../../../src/protocol/kinds';
import type { NostrEvent } from '../../../src/protocol/nostr-event';
import { metadataFields, parseProfileMetadata, type ProfileMetadata } from '../../../src/protocol/profile-metadata';
import { shortNpub } from '../../../src/protocol/short-npub';
import { normalizeURL } from 'nostr-tools/utils';
import { pool, useRelays } from './nostr';
import { useSession } from './session';
import { useUserRelays, writeRelaysOf } from './user-relays';

export { shortNpub };

/** The kind 0 fields this app shows or edits. */
export type Profile = ProfileMetadata;

/** A kind 0's content as the JSON object it holds (every field, known or not); null when it is not one. */
export function profileFields(event: NostrEvent | null | undefined): Record<string, unknown> | null {
  return event ? metadataFields(event.content) : null;
}

/** The known fields of a kind 0, strings only (a client may have written anything there). */
export function profileOf(event: NostrEvent | null | undefined): Profile | null {
  return event ? parseProfileMetadata(event.content) : null;
}

export function displayName(pubkey: string, profile: Profile | null | undefined): string {
  return profile?.display_name || profile?.name || shortNpub(pubkey);
}

/** A picture the page may load: http(s) only (no javascript:, data: or file: from someone else's kind 0). */
export function safePicture(profile: Profile | null | undefined): string | undefined {
  const picture = profile?.picture;
  return picture && /^https?:\/\/[^\s]+$/i.test(picture) ? picture : undefined;
}

const BATCH_MS = 20;
/** Relays cap how many authors one filter may name. */
const AUTHORS_PER_FILTER = 100;
/** A batch asks at most this many relays beyond ours (the authors' own), so one list naming fifty cannot stall it. */
const OWN_RELAYS_PER_BATCH = 8;

type Found = (event: NostrEvent | null) => void;

/**
 * Collects the pubkeys asked for in the same moment (a page of cards, a chat backlog) and reads
 * their kind 0s and NIP-65 lists in one subscription per relay set, then each author's kind 0
 * on the write relays their list names; the newest kind 0 of each author wins.
 */
class ProfileBatcher {
  private readonly waiting = new Map<string, Map<string, Found[]>>();

  load(relays: readonly string[], pubkey: string): Promise<NostrEvent | null> {
    const key = relays.join(' ');
    let batch = this.waiting.get(key);
    if (!batch) {
      batch = new Map();
      this.waiting.set(key, batch);
      setTimeout(() => void this.flush(key, [...relays]), BATCH_MS);
    }
    const callers = batch.get(pubkey) ?? [];
    batch.set(pubkey, callers);
    return new Promise((resolve) => callers.push(resolve));
  }

  private async flush(key: string, relays: string[]): Promise<void> {
    const batch = this.waiting.get(key);
    this.waiting.delete(key);
    if (!batch) return;
    const resolve = (pubkey: string, event: NostrEvent | null) => {
      for (const found of batch.get(pubkey) ?? []) found(event);
    };
    const read = await newestByAuthor(relays, [KIND.metadata, KIND.relayList], [...batch.keys()]);
    const ours = new Set(relays.map(normalizeURL));
    // relay → the authors whose own list names it
    const elsewhere = new Map<string, string[]>();
    for (const pubkey of batch.keys()) {
      const own = writeRelaysOf(read.get(`${KIND.relayList}:${pubkey}`) ?? null).map(normalizeURL).filter((url) => !ours.has(url));
      for (const url of own) elsewhere.set(url, [...(elsewhere.get(url) ?? []), pubkey]);
      // Nothing more to ask for this one: answer now rather than after the slowest relay.
      if (own.length === 0) resolve(pubkey, read.get(`${KIND.metadata}:${pubkey}`) ?? null);
    }
    const asked = [...elsewhere].slice(0, OWN_RELAYS_PER_BATCH);
    const more = await Promise.all(asked.map(([url, authors]) => newestByAuthor([url], [KIND.metadata], authors)));
    const waitingForOwn = new Set([...elsewhere.values()].flat());
    for (const pubkey of waitingForOwn) {
      const candidates = [read, ...more].map((found) => found.get(`${KIND.metadata}:${pubkey}`)).filter((event) => event !== undefined);
      resolve(pubkey, candidates.reduce<NostrEvent | null>((best, event) => (!best || event.created_at > best.created_at ? event : best), null));
    }
  }
}

/** The newest event of each kind by each author on `relays`, keyed `<kind>:<pubkey>`; a relay that fails adds nothing. */
async function newestByAuthor(relays: string[], kinds: number[], pubkeys: string[]): Promise<Map<string, NostrEvent>> {
  const newest = new Map<string, NostrEvent>();
  for (let start = 0; start < pubkeys.length; start += AUTHORS_PER_FILTER) {
    const authors = pubkeys.slice(start, start + AUTHORS_PER_FILTER);
    const events = await pool.querySync(relays, { kinds, authors }, { maxWait: 3000 }).catch(() => []);
    for (const event of events) {
      const key = `${event.kind}:${event.pubkey}`;
      const held = newest.get(key);
      if (!held || event.created_at > held.created_at) newest.set(key, event);
    }
  }
  return newest;
}

const batcher = new ProfileBatcher();

/**
 * Where names are read: our relay, the configured relays and the signed-in user's own NIP-65
 * relays (where the people they know are likely to write).
 */
export function useProfileRelays(): string[] {
  const base = useRelays();
  const { pubkey } = useSession();
  const own = useUserRelays(pubkey);
  return own.data ?? base;
}

/** The query key of a pubkey's kind 0, whichever relays it was read from. */
export const profileQueryKey = (pubkey: string | undefined) => ['profile', pubkey];

/** The query of a user's newest kind 0 on `relays`: one cache entry whether read by one hook or for many users at once. */
export const profileQuery = (relays: string[], pubkey: string | undefined) => ({
  queryKey: [...profileQueryKey(pubkey), relays],
  enabled: pubkey !== undefined && relays.length > 0,
  staleTime: 5 * 60_000,
  queryFn: () => batcher.load(relays, pubkey ?? ''),
});

/** A user's newest kind 0 (the event: the editor needs every field) and its known fields. */
export function useProfileEvent(pubkey: string | undefined) {
  const relays = useProfileRelays();
  return useQuery({
    ...profileQuery(relays, pubkey),
    // The user's own relays arrive a moment later: the name already read stays while they are asked too.
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[1] === pubkey ? previous : undefined),
  });
}

/** A user's name, picture, about and lightning address from their newest kind 0 (null when none). */
export function useProfile(pubkey: string | undefined): { data: Profile | null | undefined } {
  const { data } = useProfileEvent(pubkey);
  return { data: data === undefined ? undefined : profileOf(data) };
}
