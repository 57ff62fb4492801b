import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScratch, type ScratchService } from '../../../testkit/scratch.js';
import { SqlEventStore } from '../store/sql-event-store.js';
import { StorageQuotaPolicy } from './storage-quota-policy.js';

const service = generateSecretKey();
const sign = (secret: Uint8Array, kind: number, content: string, tags: string[][] = []) =>
  finalizeEvent({ kind, created_at: 1_700_000_000, tags, content }, secret);

describe('StorageQuotaPolicy', () => {
  let scratch: ScratchService;
  let store: SqlEventStore;
  let policy: StorageQuotaPolicy;
  const author = generateSecretKey();

  beforeAll(async () => {
    scratch = await openScratch();
    store = new SqlEventStore(scratch.database.db);
    // 100 bytes: content and tags as the store measures them ('[]' counts 2).
    policy = new StorageQuotaPolicy(store, 100, getPublicKey(service));
    await store.save(sign(author, 1, 'x'.repeat(60)));
    await store.save(sign(author, 0, 'y'.repeat(30)));
  });
  afterAll(() => scratch.close());

  it('lets an event through that fits, a replacement measured in place of what it replaces, deletions and the service key', async () => {
    expect(await policy.check(sign(author, 1, 'z'.repeat(4)))).toBeUndefined();
    expect(await policy.check(sign(author, 0, 'p'.repeat(34)))).toBeUndefined();
    expect(await policy.check(sign(author, 5, 'd'.repeat(500)))).toBeUndefined();
    expect(await policy.check(sign(author, 20001, 'e'.repeat(500)))).toBeUndefined();
    expect(await policy.check(sign(service, 1, 's'.repeat(500)))).toBeUndefined();
  });

  it('refuses an event past the quota with restricted: and what is stored', async () => {
    expect(await policy.check(sign(author, 1, 'z'.repeat(5)))).toBe(
      'restricted: this relay keeps at most 100 bytes of events per pubkey and you have 94 stored; delete some (NIP-09) to make room',
    );
  });
});
