import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { baseForWrite, changedContacts } from './contacts';

const list = finalizeEvent(
  {
    kind: 3,
    created_at: 1_700_000_000,
    content: '{"wss://a.example/":{"read":true,"write":true}}',
    tags: [
      ['p', 'a'.repeat(64), 'wss://a.example/', 'alice'],
      ['t', 'music'],
      ['p', 'b'.repeat(64), '', 'bob'],
    ],
  },
  generateSecretKey(),
);
const target = 'c'.repeat(64);

describe('changedContacts', () => {
  it('adds one p and keeps every other tag, hint, petname and the content', () => {
    expect(changedContacts(list, target, true)).toEqual({ tags: [...list.tags, ['p', target]], content: list.content });
  });

  it('removes only the one p, and following someone already followed keeps their hint and petname', () => {
    expect(changedContacts(list, 'b'.repeat(64), false).tags).toEqual(list.tags.slice(0, 2));
    expect(changedContacts(list, 'a'.repeat(64), true).tags).toEqual([list.tags[1], list.tags[2], list.tags[0]]);
  });
});

describe('baseForWrite', () => {
  it('refuses when no relay answered, or when none had a list and one did not answer', () => {
    expect(() => baseForWrite({ event: null, answered: [], silent: ['ws://a/'] })).toThrow(/could not be read.*Nothing was changed/);
    expect(() => baseForWrite({ event: list, answered: [], silent: ['ws://a/'] })).toThrow(/could not be read/);
    expect(() => baseForWrite({ event: null, answered: ['ws://a/'], silent: ['ws://b/'] })).toThrow(/ws:\/\/b\/ did not answer/);
  });

  it('builds on the newest list found, and on nothing only when every relay answered without one', () => {
    expect(baseForWrite({ event: list, answered: ['ws://a/'], silent: ['ws://b/'] })).toBe(list);
    expect(baseForWrite({ event: null, answered: ['ws://a/', 'ws://b/'], silent: [] })).toBeNull();
  });
});
