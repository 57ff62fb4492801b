import type { Filter } from 'nostr-tools/filter';
import type { Subscription } from 'nostr-tools/abstract-relay';
import type { NostrEvent } from '../../../src/protocol/nostr-event';
import { pool } from './nostr';

/** How long a relay has to connect and answer EOSE before it counts as silent. */
export const READ_TIMEOUT_MS = 4000;

/** The newest event found, and which relays finished answering (EOSE) and which did not. */
export interface NewestRead {
  readonly event: NostrEvent | null;
  readonly answered: readonly string[];
  readonly silent: readonly string[];
}

/**
 * The newest event matching `filter` across `relays`, telling a relay that answered "none"
 * from one that did not answer. pool.get cannot: its nostr-tools subscriptions fire EOSE by
 * themselves when the wait runs out, so a silent relay looks like an empty one, and a list
 * rebuilt from "nothing found" would erase what the silent relay holds.
 *
 *   const read = await readNewest(relays, { kinds: [KIND.contacts], authors: [pubkey] });
 *   if (read.answered.length === 0) … // nobody answered: do not write
 */
export async function readNewest(relays: readonly string[], filter: Filter, timeoutMs = READ_TIMEOUT_MS): Promise<NewestRead> {
  let newest: NostrEvent | null = null;
  const keep = (event: NostrEvent) => {
    if (!newest || event.created_at > newest.created_at) newest = event;
  };
  const answers = await Promise.all(relays.map(async (url) => ({ url, answered: await askOne(url, filter, timeoutMs, keep) })));
  return {
    event: newest,
    answered: answers.filter((answer) => answer.answered).map((answer) => answer.url),
    silent: answers.filter((answer) => !answer.answered).map((answer) => answer.url),
  };
}

/** True when the relay sent EOSE within the time; a CLOSED, a failed connection or silence is false. */
async function askOne(url: string, filter: Filter, timeoutMs: number, onevent: (event: NostrEvent) => void): Promise<boolean> {
  let subscription: Subscription | undefined;
  let over = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const answer = (async () => {
    const relay = await pool.ensureRelay(url, { connectionTimeout: timeoutMs });
    if (over) return false;
    return new Promise<boolean>((resolve) => {
      // The library's own EOSE timeout is set past ours, so its oneose means the relay's EOSE.
      subscription = relay.subscribe([filter], { onevent, oneose: () => resolve(true), onclose: () => resolve(false), eoseTimeout: timeoutMs * 2 });
    });
  })().catch(() => false);
  try {
    return await Promise.race([answer, deadline]);
  } finally {
    over = true;
    clearTimeout(timer);
    subscription?.close();
  }
}
