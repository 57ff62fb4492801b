import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { WriteRatePolicy } from './write-rate-policy.js';

const NOW_MS = 1_700_000_000_000;
const service = generateSecretKey();
const note = (secret: Uint8Array, kind = 1) => finalizeEvent({ kind, created_at: 1_700_000_000, tags: [], content: '' }, secret);
const newPolicy = (perPubkey: number, perAddress: number) =>
  new WriteRatePolicy({ what: 'notes', counts: (event) => event.kind === 1, perPubkey, perAddress, servicePubkey: getPublicKey(service) }, () => NOW_MS);

describe('WriteRatePolicy', () => {
  it('lets counted events through up to the limits, and uncounted kinds and the service key always', () => {
    const policy = newPolicy(2, 10);
    const author = generateSecretKey();
    expect(policy.check(note(author), { address: '192.0.2.1' })).toBeUndefined();
    expect(policy.check(note(author), { address: '192.0.2.1' })).toBeUndefined();
    expect(policy.check(note(author, 7), { address: '192.0.2.1' })).toBeUndefined();
    for (let i = 0; i < 5; i += 1) expect(policy.check(note(service), {})).toBeUndefined();
  });

  it('refuses one pubkey past its limit with rate-limited: and the wait', () => {
    const policy = newPolicy(1, 10);
    const author = generateSecretKey();
    policy.check(note(author), { address: '192.0.2.1' });
    expect(policy.check(note(author), { address: '192.0.2.2' })).toMatch(/^rate-limited: you are sending notes too fast; wait \d+ s$/);
  });

  it('refuses one address past its limit, whatever keys it signs with, with rate-limited: and the wait', () => {
    const policy = newPolicy(10, 2);
    policy.check(note(generateSecretKey()), { address: '192.0.2.1' });
    policy.check(note(generateSecretKey()), { address: '192.0.2.1' });
    expect(policy.check(note(generateSecretKey()), { address: '192.0.2.1' })).toMatch(/^rate-limited: too many notes from this address; wait \d+ s$/);
    expect(policy.check(note(generateSecretKey()), { address: '192.0.2.9' })).toBeUndefined();
  });
});
