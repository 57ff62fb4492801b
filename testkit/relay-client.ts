import type { VerifiedEvent } from 'nostr-tools/pure';
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay';
import type { Filter } from 'nostr-tools/filter';
import WebSocket from 'ws';
import { parseLiveEvent, type LiveEvent } from '../src/protocol/live-event.js';

// Node 20 has no global WebSocket; nostr-tools takes the implementation to use.
useWebSocketImplementation(WebSocket);

export { Relay };

/** Publishes the events in order over one short-lived connection; rejects with the relay's OK-false reason. */
export async function publishTo(url: string, ...events: VerifiedEvent[]): Promise<void> {
  const relay = await Relay.connect(url);
  try {
    for (const event of events) await relay.publish(event);
  } finally {
    relay.close();
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

/** The stream's 30311 as the relay at `url` (ws://…) holds it now, parsed; undefined when it has none. */
export async function liveEventAt(url: string, streamId: string): Promise<LiveEvent | undefined> {
  const relay = await Relay.connect(url);
  try {
    const [event] = await queryRelay(relay, [{ kinds: [30311], '#d': [streamId] }]);
    const parsed = event ? parseLiveEvent(event) : undefined;
    return parsed?.ok ? parsed.value : undefined;
  } finally {
    relay.close();
  }
}
