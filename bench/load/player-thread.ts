/**
 * A worker thread of simulated players (simulated-players.ts, `threads` > 1): runs its share,
 * then posts what it recorded. The first message says it started, as ts-worker.ts expects.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { recordPlayers, type PlayerRun } from './simulated-players.js';

if (!parentPort) throw new Error('player-thread.ts runs only as a worker thread');
const port = parentPort;
port.postMessage('started');
port.postMessage(await recordPlayers(workerData as PlayerRun));
