import { describe, expect, it } from 'vitest';
import { isStorageFull } from './storage-full.js';

const withCode = (code: string) => Object.assign(new Error('failed'), { code });

describe('isStorageFull', () => {
  it('knows a full disk from each engine and the file system, also as a cause', () => {
    for (const code of ['SQLITE_FULL', 'ENOSPC', 'EDQUOT', '53100']) expect(isStorageFull(withCode(code)), code).toBe(true);
    expect(isStorageFull(new Error('wrapped', { cause: withCode('SQLITE_FULL') }))).toBe(true);
  });

  it('is false for other failures', () => {
    for (const code of ['SQLITE_CONSTRAINT_PRIMARYKEY', 'ECONNREFUSED', '23505']) expect(isStorageFull(withCode(code)), code).toBe(false);
    expect(isStorageFull(new Error('database or disk is full'))).toBe(false);
    expect(isStorageFull('SQLITE_FULL')).toBe(false);
  });
});
