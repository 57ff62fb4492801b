import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { TextPolicy } from './text-policy.js';

const secret = generateSecretKey();
const note = (content: string, tags: string[][] = []) => finalizeEvent({ kind: 1, created_at: 1_700_000_000, tags, content }, secret);

describe('TextPolicy', () => {
  const policy = new TextPolicy();

  it('lets any text without NUL through', () => {
    expect(policy.check(note('héllo 😀\n\ttab', [['t', 'music']]))).toBeUndefined();
  });

  it('refuses a NUL in the content or in any tag with invalid:', () => {
    expect(policy.check(note('a\u0000b'))).toBe('invalid: content must not contain NUL (\\u0000) characters');
    expect(policy.check(note('fine', [['t', 'ok'], ['t', 'x\u0000']]))).toBe('invalid: tags must not contain NUL (\\u0000) characters');
  });
});
