import { readFileSync } from 'node:fs';

/** The package version; this file sits two folders below package.json in both `src/` and `dist/`. */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
