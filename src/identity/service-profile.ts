import { verifyEvent, type VerifiedEvent } from 'nostr-tools/pure';
import type { Logger } from 'pino';
import type { EventTemplate } from '../protocol/event-template.js';
import { KIND } from '../protocol/kinds.js';
import type { NostrEvent } from '../protocol/nostr-event.js';
import { RefusedEvent, type NostrStore } from '../protocol/nostr-store.js';
import { unixNow } from '../protocol/time.js';
import type { RelayOutbox } from '../publisher/relay-outbox.js';

/**
 * The service introduces itself on Nostr under its own key: a kind 0 profile (clients name the
 * author of our service-signed 30311s with it) and a NIP-89 handler (kind 31990) saying that
 * this web app opens kind 30311 live events, at `/stream/<naddr>`.
 *
 * Each is signed anew only when what it says changes: an unchanged one is the event the
 * built-in relay already holds, handed again to the external relays at every start (a relay
 * added to RELAYS since, or one that lost it, gets it; the others answer `duplicate`).
 *
 *   await publishServiceIdentity({ profile, publicUrl, sign, pubkey, relay: relay.store, outboxes, logger });
 */
export interface ServiceProfile {
  readonly name: string;
  readonly about: string;
  /** An http(s) URL; no picture when the operator gave none. */
  readonly picture: string | undefined;
}

export interface ServiceIdentityOptions {
  readonly profile: ServiceProfile;
  /** The web app's origin: the profile's `website` and the handler's URLs. */
  readonly publicUrl: string;
  readonly pubkey: string;
  readonly sign: (template: EventTemplate) => VerifiedEvent;
  readonly relay: NostrStore;
  readonly outboxes: readonly Pick<RelayOutbox, 'event'>[];
  readonly logger: Pick<Logger, 'info' | 'warn'>;
}

/** The handler's `d`: one handler per service key, so a stable name replaces the last one. */
export const HANDLER_IDENTIFIER = 'live-streams';

export async function publishServiceIdentity(options: ServiceIdentityOptions): Promise<void> {
  const metadata = profileMetadata(options.profile, options.publicUrl);
  await publishUnlessUnchanged(options, { kind: KIND.metadata, tags: [], content: metadata });
  await publishUnlessUnchanged(options, {
    kind: KIND.handlerInformation,
    tags: [
      ['d', HANDLER_IDENTIFIER],
      ['k', String(KIND.liveEvent)],
      // The web app's stream page takes any live event's naddr (web/src/routes.ts).
      ['web', `${options.publicUrl}/stream/<bech32>`, 'naddr'],
    ],
    // NIP-89: the handler's own kind-0-style metadata, for clients that show the handler without fetching the profile.
    content: metadata,
  });
}

/** Kind 0 content (NIP-01, NIP-24 `website`): stringified JSON, fields without a value left out. */
function profileMetadata({ name, about, picture }: ServiceProfile, website: string): string {
  return JSON.stringify({ name, about, ...(picture !== undefined && { picture }), website });
}

type Draft = Omit<EventTemplate, 'created_at'>;

async function publishUnlessUnchanged(options: ServiceIdentityOptions, draft: Draft): Promise<void> {
  const held = await heldEvent(options, draft);
  const event = held && saysTheSame(held, draft) && verifyEvent(held) ? held : undefined;
  if (event) {
    await Promise.all(options.outboxes.map((outbox) => outbox.event(event)));
    return;
  }
  // A replaceable event replaces only one with an earlier created_at.
  const signed = options.sign({ ...draft, created_at: Math.max(unixNow(), (held?.created_at ?? 0) + 1) });
  try {
    await options.relay.event(signed);
  } catch (error) {
    if (!(error instanceof RefusedEvent)) throw error;
    options.logger.warn({ kind: draft.kind, reason: error.message }, "built-in relay refused the service's own event; check its policies for the service key");
  }
  await Promise.all(options.outboxes.map((outbox) => outbox.event(signed)));
  options.logger.info({ kind: draft.kind, eventId: signed.id }, "service's own event published");
}

async function heldEvent(options: ServiceIdentityOptions, draft: Draft): Promise<NostrEvent | undefined> {
  const identifier = draft.tags.find(([name]) => name === 'd')?.[1];
  const [held] = await options.relay.query([
    { kinds: [draft.kind], authors: [options.pubkey], ...(identifier !== undefined && { '#d': [identifier] }), limit: 1 },
  ]);
  return held;
}

function saysTheSame(event: NostrEvent, draft: Draft): boolean {
  return event.content === draft.content && JSON.stringify(event.tags) === JSON.stringify(draft.tags);
}
