import { describe, expect, it } from 'vitest';
import type { NostrEvent } from '../../../src/protocol/nostr-event';
import { mergedProfile, profileBase, profileFormErrors } from './profile-editor';
import { displayName, profileOf, safePicture, shortNpub } from './profiles';

const form = { name: 'Sam', picture: 'https://pictures.example/sam.png', about: '', lud16: 'sam@wallet.example' };
const kind0 = (content: string) => ({ id: 'e', pubkey: 'a'.repeat(64), created_at: 100, kind: 0, tags: [], content, sig: 's' }) as NostrEvent;

describe('the profile form over an existing kind 0', () => {
  it('writes the Name field over the name shown: display_name when there is one, the name handle kept', () => {
    expect(mergedProfile({ name: 'sam', display_name: 'Sammy' }, form)).toMatchObject({ name: 'sam', display_name: 'Sam' });
    expect(mergedProfile({ name: 'sam', display_name: '' }, form)).toMatchObject({ name: 'Sam', display_name: '' });
  });

  it('keeps every field the form does not know, sets the ones it edits and drops the ones emptied', () => {
    const existing = { name: 'Old', about: 'old about', nip05: 'sam@example.com', banner: 'https://b.example/x.jpg', custom: { deep: [1] } };
    expect(mergedProfile(existing, form)).toEqual({
      name: 'Sam',
      picture: 'https://pictures.example/sam.png',
      lud16: 'sam@wallet.example',
      nip05: 'sam@example.com',
      banner: 'https://b.example/x.jpg',
      custom: { deep: [1] },
    });
  });

  it('asks for a lightning address as name@domain and a picture on http(s)', () => {
    expect(profileFormErrors(form)).toEqual({});
    expect(profileFormErrors({ ...form, lud16: 'sam' }).lud16).toMatch(/name@domain/);
    expect(profileFormErrors({ ...form, lud16: 'sam@localhost' }).lud16).toMatch(/name@domain/);
    expect(profileFormErrors({ ...form, picture: 'javascript:alert(1)' }).picture).toMatch(/https:\/\//);
  });
});

describe('when a profile may be written', () => {
  const event = kind0('{"name":"x"}');
  it('builds on the newest kind 0 found', () => {
    expect(profileBase({ event, answered: ['ws://a'], silent: ['ws://b'] }, false)).toBe(event);
  });
  it('writes the first one only when every relay answered that there is none, or the account is new', () => {
    expect(profileBase({ event: null, answered: ['ws://a'], silent: [] }, false)).toBeNull();
    expect(profileBase({ event: null, answered: [], silent: ['ws://a'] }, true)).toBeNull();
  });
  it('refuses when no relay answered, or one that may hold it did not', () => {
    expect(() => profileBase({ event: null, answered: [], silent: ['ws://a'] }, false)).toThrow(/could not be read.*nothing was saved/);
    expect(() => profileBase({ event: null, answered: ['ws://a'], silent: ['ws://b'] }, false)).toThrow(/ws:\/\/b did not answer.*Nothing was saved/);
  });
});

describe('showing a profile', () => {
  const pubkey = 'f'.repeat(64);
  it('names someone without a profile by a short npub, never hex', () => {
    expect(displayName(pubkey, null)).toBe(shortNpub(pubkey));
    expect(shortNpub(pubkey)).toMatch(/^npub1[0-9a-z]{4}…[0-9a-z]{4}$/);
  });
  it('reads only string fields, and shows only http(s) pictures', () => {
    expect(profileOf(kind0('{"name":42,"display_name":" DJ ","picture":"data:image/png;base64,AA"}'))).toEqual({ display_name: 'DJ', picture: 'data:image/png;base64,AA' });
    expect(safePicture({ picture: 'data:image/png;base64,AA' })).toBeUndefined();
    expect(safePicture({ picture: 'https://p.example/a.png' })).toBe('https://p.example/a.png');
    expect(profileOf(kind0('not json'))).toBeNull();
  });
});
