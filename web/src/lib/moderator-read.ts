import type { Filter } from 'nostr-tools/filter';
import { verifyEvent, type EventTemplate, type VerifiedEvent } from 'nostr-tools/pure';
import { Relay } from 'nostr-tools/relay';
import type { Signer } from '../signers/signer';
import type { NostrEvent } from './nostr';

const READ_TIMEOUT_MS = 8000;

/**
 * Reads from this service's relay as the signed-in host or moderator (NIP-42 AUTH signed by
 * their signer): the relay then serves what it keeps from everyone else, such as the chat
 * messages they removed, so the dashboard can show what it would restore.
 *
 *   const events = await readAsModerator(info.relay, signer, { ids });
 */
export async function readAsModerator(url: string, signer: Signer, filter: Filter): Promise<NostrEvent[]> {
  const relay = new Relay(url);
  let challenged = () => {};
  const challenge = new Promise<void>((resolve) => (challenged = resolve));
  // nostr-tools sends only events it knows are signed: checking the signer's answer marks it so.
  const sign = async (template: EventTemplate): Promise<VerifiedEvent> => {
    const event = await signer.signEvent(template);
    if (!verifyEvent(event)) throw new Error('the signer returned an event with a bad signature');
    return event;
  };
  relay.onauth = (template) => {
    challenged();
    return sign(template);
  };
  try {
    await relay.connect();
    // The relay challenges on connect; asking before the answer is accepted would be answered as to a stranger.
    await within(challenge, 'the relay sent no AUTH challenge');
    await relay.auth(sign);
    return await within(
      new Promise<NostrEvent[]>((resolve) => {
        const events: NostrEvent[] = [];
        const subscription = relay.subscribe([filter], {
          onevent: (event) => events.push(event),
          oneose: () => {
            subscription.close();
            resolve(events);
          },
        });
      }),
      'the relay did not answer',
    );
  } finally {
    relay.close();
  }
}

function within<T>(promise: Promise<T>, failure: string): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(failure)), READ_TIMEOUT_MS))]);
}
