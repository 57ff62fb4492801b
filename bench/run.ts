/**
 * `npm run bench`: runs every `*.bench.ts` in bench/ one after another, each in its own
 * process so one bench's memory and threads do not colour the next.
 *
 *   npm run bench                 # all
 *   npm run bench -- relay        # only those whose path contains "relay"
 *   npm run bench -- latency --full   # flags after the filter go to each bench
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const only = process.argv[2];
const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const benches = readdirSync(BENCH_DIR, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.bench.ts') && (!only || file.includes(only)))
  .sort();

let failed = 0;
for (const file of benches) {
  console.log(`\n▶ ${file}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(BENCH_DIR, file), ...process.argv.slice(3)], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
console.log(`\n${benches.length - failed} of ${benches.length} benches ran.`);
process.exitCode = failed > 0 ? 1 : 0;
