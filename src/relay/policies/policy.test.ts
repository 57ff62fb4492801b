import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { PolicyPipe, type Policy } from './policy.js';
import { SizePolicy } from './size-policy.js';
import { TextPolicy } from './text-policy.js';

const note = (content: string) => finalizeEvent({ kind: 1, created_at: 1_700_000_000, tags: [], content }, generateSecretKey());

describe('PolicyPipe', () => {
  it('lets an event through that every policy lets through', async () => {
    expect(await new PolicyPipe([new SizePolicy({ maxContentLength: 10, maxEventTags: 10 }), new TextPolicy()]).check(note('fine'))).toBeUndefined();
  });

  it('answers the first refusal and asks no policy after it', async () => {
    const asked: string[] = [];
    const never: Policy = { check: () => void asked.push('after') };
    const pipe = new PolicyPipe([new TextPolicy(), new SizePolicy({ maxContentLength: 1, maxEventTags: 10 }), never]);
    expect(await pipe.check(note('a\u0000'))).toBe('invalid: content must not contain NUL (\\u0000) characters');
    expect(await pipe.check(note('ab'))).toBe('invalid: content is longer than 1 characters');
    expect(asked).toEqual([]);
  });
});
