import { finalizeEvent, generateSecretKey, getPublicKey, type EventTemplate, type VerifiedEvent } from 'nostr-tools/pure';
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay';
import type { Filter } from 'nostr-tools/filter';
import WebSocket from 'ws';

// Node 20 has no global WebSocket; nostr-tools takes the implementation to use.
useWebSocketImplementation(WebSocket);

export { Relay };

/** A Nostr author for relay tests: signs events with a fresh key. */
export class Author {
  readonly secret = generateSecretKey();
  readonly pubkey = getPublicKey(this.secret);

  sign(template: Partial<EventTemplate> & { kind: number }): VerifiedEvent {
    return finalizeEvent(
      { created_at: Math.floor(Date.now() / 1000), tags: [], content: '', ...template },
      this.secret,
    );
  }
}

/** Stored events for the filters, in the order the relay sent them, up to EOSE. */
export function queryRelay(relay: Relay, filters: Filter[]): Promise<VerifiedEvent[]> {
  return new Promise((resolve) => {
    const events: VerifiedEvent[] = [];
    const subscription = relay.subscribe(filters, {
      onevent: (event) => events.push(event as VerifiedEvent),
      oneose: () => {
        subscription.close();
        resolve(events);
      },
    });
  });
}
