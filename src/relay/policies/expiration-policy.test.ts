import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { ExpirationPolicy } from './expiration-policy.js';

const NOW = 1_700_000_000;
const secret = generateSecretKey();
const note = (tags: string[][]) => finalizeEvent({ kind: 1, created_at: NOW - 10, tags, content: '' }, secret);

describe('ExpirationPolicy', () => {
  const policy = new ExpirationPolicy(() => NOW);

  it('lets events without expiration, or expiring later, through', () => {
    expect(policy.check(note([]))).toBeUndefined();
    expect(policy.check(note([['expiration', String(NOW + 1)]]))).toBeUndefined();
  });

  it('refuses an event that has already expired (NIP-40) with invalid:', () => {
    expect(policy.check(note([['expiration', String(NOW)]]))).toBe('invalid: this event has expired');
    expect(policy.check(note([['expiration', String(NOW - 60)]]))).toBe('invalid: this event has expired');
  });
});
