import type { NostrEvent } from '../protocol/nostr-event.js';
import { unixNow } from '../protocol/time.js';
import type { OurCoordinates } from './policies/stream-directory.js';
import { StreamAccess, type StreamTokens } from './private-streams.js';

/** NIP-42's client authentication kind. */
export const AUTH_KIND = 22242;

/** How far an AUTH event's created_at may be from now (NIP-42 suggests about ten minutes). */
const MAX_CLOCK_SKEW_SECONDS = 600;

/**
 * NIP-42 AUTH, with one addition: a `["token", <playback token>, <stream coordinate>]` tag
 * per private stream the client holds a shared link for. The pubkey proves who is there (a
 * host or moderator reads their streams with any NIP-42 client); the token opens a stream
 * to whoever holds its link, signed in or not (the web app signs with a throwaway key).
 * Tokens travel inside the signed AUTH event, not in the relay URL: they stay out of proxy
 * logs, the relay's URL stays its identity (NIP-65 lists, the `relay` tag), and the AUTH
 * is bound to this connection's challenge.
 *
 *   const auth = new RelayAuth('wss://live.example/', ours, tokens);
 *   const refusal = auth.admit(event, challenge, connection.access);   // undefined: admitted
 */
export class RelayAuth {
  private readonly host: string;

  constructor(
    relayUrl: string,
    private readonly ours: OurCoordinates,
    private readonly tokens: StreamTokens,
    private readonly now: () => number = unixNow,
  ) {
    this.host = new URL(relayUrl).host;
  }

  /** Checks a verified AUTH event and adds what it proves to `access`; answers the OK message of a refusal. */
  admit(event: NostrEvent, challenge: string, access: StreamAccess): string | undefined {
    if (event.kind !== AUTH_KIND) return `invalid: an AUTH event has kind ${AUTH_KIND}`;
    if (tag(event, 'challenge') !== challenge) return 'invalid: the challenge tag does not match the one this relay sent on this connection';
    if (!this.isThisRelay(tag(event, 'relay'))) return `invalid: the relay tag must name this relay (${this.host})`;
    if (Math.abs(event.created_at - this.now()) > MAX_CLOCK_SKEW_SECONDS) {
      return 'invalid: created_at is more than ten minutes from now; check the clock';
    }
    const opened: [string, string][] = [];
    for (const [name, token, coordinate] of event.tags) {
      if (name !== 'token') continue;
      const streamId = this.ours.streamId(coordinate);
      if (token === undefined || streamId === undefined || !this.tokens.verify(token, streamId)) {
        // The same words whether or not the stream exists: a token check must not find streams.
        return 'restricted: a token tag does not open its stream here (the link may have expired); ask the host for a new link';
      }
      opened.push([streamId, token]);
    }
    if (access.full) return `rate-limited: a connection may hold at most ${StreamAccess.MAX_ENTRIES} authentications; open a new one`;
    access.pubkeys.add(event.pubkey);
    for (const [streamId, token] of opened) access.tokens.set(streamId, token);
    return undefined;
  }

  private isThisRelay(url: string | undefined): boolean {
    if (url === undefined) return false;
    try {
      return new URL(url).host === this.host;
    } catch {
      return false;
    }
  }
}

function tag(event: NostrEvent, name: string): string | undefined {
  return event.tags.find((entry) => entry[0] === name)?.[1];
}
