import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { SizePolicy } from './size-policy.js';

const secret = generateSecretKey();
const note = (content: string, tags: string[][] = []) => finalizeEvent({ kind: 1, created_at: 1_700_000_000, tags, content }, secret);

describe('SizePolicy', () => {
  const policy = new SizePolicy({ maxContentLength: 4, maxEventTags: 2 });

  it('lets content up to the limit in Unicode characters through, an emoji counting as one', () => {
    expect(policy.check(note('abcd'))).toBeUndefined();
    expect(policy.check(note('😀😀😀😀'))).toBeUndefined();
    expect(policy.check(note('x', [['t', 'a'], ['t', 'b']]))).toBeUndefined();
  });

  it('refuses longer content and more tags with invalid:', () => {
    expect(policy.check(note('abcde'))).toBe('invalid: content is longer than 4 characters');
    expect(policy.check(note('😀😀😀😀😀'))).toBe('invalid: content is longer than 4 characters');
    expect(policy.check(note('x', [['t', 'a'], ['t', 'b'], ['t', 'c']]))).toBe('invalid: more than 2 tags');
  });
});
