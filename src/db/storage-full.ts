/**
 * Whether an error means the disk holding the data is full: SQLite's SQLITE_FULL, a file
 * write's ENOSPC (or EDQUOT, a quota), PostgreSQL's disk_full (53100). Nothing is wrong
 * with the request; it can be stored once space is freed.
 *
 *   if (isStorageFull(error)) answer 503 storage_full and log where to free space
 */
export function isStorageFull(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  if (code !== undefined && FULL_CODES.has(code)) return true;
  return error.cause !== undefined && isStorageFull(error.cause);
}

const FULL_CODES = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT', '53100']);
