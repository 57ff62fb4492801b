import { KIND } from '../protocol/kinds.js';
import type { NostrStore } from '../protocol/nostr-store.js';
import { parseProfileMetadata } from '../protocol/profile-metadata.js';
import { shortNpub } from '../protocol/short-npub.js';
import { hasProtocol } from '../protocol/url.js';

/** What the service takes from a user's kind 0: a picture to show, a name to print, where they are paid. */
export interface Profile {
  /** An http(s) URL, or null when the kind 0 has none (or something else there). */
  readonly picture: string | null;
  /** The display name, else the name, else a short npub. */
  readonly name: string;
  /** Their lightning address and LNURL, as written (`lnurlPayUrl` reads them): the zap ledger checks receipts with them. */
  readonly lud16?: string;
  readonly lud06?: string;
}

interface Entry {
  readonly at: number;
  readonly profile: Promise<Profile>;
}

const MAX_NAME_CHARACTERS = 40;

/**
 * Users' kind 0 profiles as the built-in relay holds them, each remembered for a minute:
 * every view of an audio stream shows its host's picture, and one indexed lookup per host
 * a minute is all that costs. A failed lookup is not remembered, and answers no picture.
 *
 *   const profiles = new Profiles(relay.store);
 *   (await profiles.get(pubkey)).picture   // 'https://…/me.jpg' or null
 */
export class Profiles {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly store: Pick<NostrStore, 'query'>,
    private readonly ttlMs = 60_000,
    private readonly maxEntries = 10_000,
  ) {}

  get(pubkey: string): Promise<Profile> {
    const now = Date.now();
    const entry = this.entries.get(pubkey);
    if (entry && now - entry.at < this.ttlMs) return entry.profile;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const profile = this.load(pubkey).catch(() => {
      if (this.entries.get(pubkey)?.profile === profile) this.entries.delete(pubkey);
      return profileOf(pubkey, undefined);
    });
    this.entries.set(pubkey, { at: now, profile });
    return profile;
  }

  private async load(pubkey: string): Promise<Profile> {
    const [event] = await this.store.query([{ kinds: [KIND.metadata], authors: [pubkey], limit: 1 }]);
    return profileOf(pubkey, event?.content);
  }
}

function profileOf(pubkey: string, content: string | undefined): Profile {
  const metadata = content === undefined ? null : parseProfileMetadata(content);
  const picture = metadata?.picture;
  const name = metadata?.display_name ?? metadata?.name ?? '';
  return {
    picture: picture && hasProtocol(picture, ['http:', 'https:']) ? picture : null,
    name: name ? Array.from(name).slice(0, MAX_NAME_CHARACTERS).join('') : shortNpub(pubkey),
    ...(metadata?.lud16 !== undefined && { lud16: metadata.lud16 }),
    ...(metadata?.lud06 !== undefined && { lud06: metadata.lud06 }),
  };
}
