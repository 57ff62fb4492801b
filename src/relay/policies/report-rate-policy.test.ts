import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { liveEventCoordinate } from '../../protocol/coordinate.js';
import { buildReport } from '../../protocol/report.js';
import { ReportRatePolicy } from './report-rate-policy.js';

const NOW_MS = 1_700_000_000_000;
const reporter = generateSecretKey();
const user = getPublicKey(generateSecretKey());
const stream = liveEventCoordinate(getPublicKey(generateSecretKey()), 'gig');
const report = (draft: { stream?: typeof stream; user?: string }, secret = reporter) =>
  finalizeEvent(buildReport({ user: draft.user ?? user, reason: 'spam', ...(draft.stream ? { stream: draft.stream } : {}) }, 1_700_000_000), secret);

describe('ReportRatePolicy', () => {
  it('lets reports through up to the limit per reporter and target, and other kinds untouched', () => {
    const policy = new ReportRatePolicy(2, () => NOW_MS);
    expect(policy.check(report({ stream }))).toBeUndefined();
    expect(policy.check(report({ stream }))).toBeUndefined();
    expect(policy.check(report({}))).toBeUndefined();
    expect(policy.check(report({ stream }, generateSecretKey()))).toBeUndefined();
    expect(policy.check(finalizeEvent({ kind: 1, created_at: 1_700_000_000, tags: [], content: '' }, reporter))).toBeUndefined();
  });

  it('refuses one more report of the same stream or user this hour with rate-limited: and the wait', () => {
    const policy = new ReportRatePolicy(1, () => NOW_MS);
    policy.check(report({ stream }));
    policy.check(report({}));
    expect(policy.check(report({ stream }))).toMatch(/^rate-limited: you have reported this stream too often this hour; wait \d+ min$/);
    expect(policy.check(report({}))).toMatch(/^rate-limited: you have reported this user too often this hour; wait \d+ min$/);
  });
});
