/**
 * A worker thread running one of the benches' TypeScript modules (tsx registered inside the
 * thread, as the main process has it), resolved once the module posts its first message.
 *
 *   const worker = await startTsWorker(new URL('./chat-subscribers.ts', import.meta.url), setup);
 */
import { Worker } from 'node:worker_threads';

export function startTsWorker(script: URL, workerData: unknown): Promise<{ worker: Worker; first: unknown }> {
  const worker = new Worker(
    `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(script.href)}); });`,
    { eval: true, workerData },
  );
  return new Promise((resolve, reject) => {
    worker.once('message', (first: unknown) => resolve({ worker, first }));
    worker.once('error', reject);
  });
}
