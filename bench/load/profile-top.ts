/**
 * The top of a V8 CPU profile (`node --cpu-prof`): the functions with the most self time, as
 * shares of the samples, so a bench run under load can say where the event loop goes.
 *
 *   npx tsx bench/load/profile-top.ts /tmp/prof/CPU.….cpuprofile [30]
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const profileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
    }),
  ),
  samples: z.array(z.number()),
});

export function topSelfTime(file: string, count: number): { name: string; percent: number }[] {
  const profile = profileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const names = new Map<number, string>();
  for (const { id, callFrame } of profile.nodes) {
    const where = callFrame.url === '' ? '' : ` ${callFrame.url.replace(/^.*\/(node_modules|src)\//, '$1/').replace(/^node:/, '')}:${callFrame.lineNumber + 1}`;
    names.set(id, `${callFrame.functionName || '(anonymous)'}${where}`);
  }
  const self = new Map<string, number>();
  for (const sample of profile.samples) {
    const name = names.get(sample) ?? '?';
    self.set(name, (self.get(name) ?? 0) + 1);
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, samples]) => ({ name, percent: (100 * samples) / profile.samples.length }));
}

const [file, count] = process.argv.slice(2);
if (file) for (const { name, percent } of topSelfTime(file, Number(count ?? 30))) console.log(`${percent.toFixed(1).padStart(5)} %  ${name}`);
