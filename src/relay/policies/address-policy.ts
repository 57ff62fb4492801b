import { KIND } from '../../protocol/kinds.js';
import type { NostrEvent } from '../../protocol/nostr-event.js';
import { classifyKind } from 'nostr-tools/kinds';
import type { Policy } from './policy.js';

/**
 * Bounds what the store keys unique indexes on: an addressable event's `d` tag and a
 * deletion's `a` targets. Past the bound PostgreSQL would refuse the index entry, so
 * both engines refuse it up front with `invalid:`.
 *
 *   new AddressPolicy({ maxAddressBytes: 1024 })
 */
export class AddressPolicy implements Policy {
  constructor(private readonly limits: { maxAddressBytes: number }) {}

  check(event: NostrEvent): string | undefined {
    const tooLong = (value: string | undefined) => value !== undefined && Buffer.byteLength(value) > this.limits.maxAddressBytes;
    if (classifyKind(event.kind) === 'parameterized' && tooLong(event.tags.find((tag) => tag[0] === 'd')?.[1])) {
      return `invalid: the d tag is longer than ${this.limits.maxAddressBytes} bytes`;
    }
    if (event.kind === KIND.deletion && event.tags.some((tag) => tag[0] === 'a' && tooLong(tag[1]))) {
      return `invalid: an a tag is longer than ${this.limits.maxAddressBytes} bytes`;
    }
    return undefined;
  }
}
