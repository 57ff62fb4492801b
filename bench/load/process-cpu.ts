/**
 * CPU time of server processes from /proc (Linux): user + system time of a process and of
 * its direct children (nginx's workers), so a bench can print how busy a server was while
 * it was measured.
 *
 *   const before = cpuSeconds([pid]);
 *   … load …
 *   const percent = (100 * (cpuSeconds([pid]) - before)) / wallSeconds;   // 100 = one core
 */
import { readFileSync } from 'node:fs';

/** Linux's USER_HZ, the unit of /proc/<pid>/stat times, is 100 on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;

function ownSeconds(pid: number): number {
  return statSeconds(`/proc/${pid}/stat`);
}

function statSeconds(file: string): number {
  const stat = readFileSync(file, 'utf8');
  // The command name (field 2) may hold spaces: fields are counted after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

function children(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** CPU seconds used so far by `pids`, with their children when `withChildren`. */
export function cpuSeconds(pids: readonly number[], withChildren = false): number {
  const all = withChildren ? pids.flatMap((pid) => [pid, ...children(pid)]) : pids;
  return all.reduce((sum, pid) => sum + ownSeconds(pid), 0);
}

/** CPU seconds used so far by the calling thread alone (a worker's, or the main thread's), from /proc/thread-self. */
export function threadCpuSeconds(): number {
  return statSeconds('/proc/thread-self/stat');
}
