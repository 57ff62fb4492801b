/**
 * The kernel's count of connections dropped because a listening socket's accept queue was
 * full (TcpExtListenOverflows in /proc/net/netstat, for the whole machine): a server whose
 * event loop is too busy to accept makes players wait for SYN retries, or reset.
 *
 *   const before = listenOverflows();   … load …   const dropped = listenOverflows() - before;
 */
import { readFileSync } from 'node:fs';

export function listenOverflows(): number {
  const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const names = lines[i]?.split(' ') ?? [];
    const values = lines[i + 1]?.split(' ') ?? [];
    const at = names.indexOf('ListenOverflows');
    if (names[0] === 'TcpExt:' && at !== -1) return Number(values[at]);
  }
  return 0;
}
