import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { CreatedAtPolicy } from './created-at-policy.js';

const NOW = 1_700_000_000;
const secret = generateSecretKey();
const noteAt = (createdAt: number) => finalizeEvent({ kind: 1, created_at: createdAt, tags: [], content: '' }, secret);

describe('CreatedAtPolicy', () => {
  const policy = new CreatedAtPolicy({ lowerLimit: 3600, upperLimit: 900 }, () => NOW);

  it('lets events dated within the limits through, at both edges', () => {
    expect(policy.check(noteAt(NOW))).toBeUndefined();
    expect(policy.check(noteAt(NOW + 900))).toBeUndefined();
    expect(policy.check(noteAt(NOW - 3600))).toBeUndefined();
  });

  it('refuses events dated too far in the future or the past with invalid:', () => {
    expect(policy.check(noteAt(NOW + 901))).toBe('invalid: created_at is more than 900 seconds in the future');
    expect(policy.check(noteAt(NOW - 3601))).toBe('invalid: created_at is more than 3600 seconds in the past');
  });
});
