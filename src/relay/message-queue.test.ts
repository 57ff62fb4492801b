import { describe, expect, it } from 'vitest';
import { MessageQueue } from './message-queue.js';

/** A promise and its resolve, for holding a task's rest until the test lets it go. */
function gate(): { promise: Promise<void>; open(): void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('MessageQueue', () => {
  it('starts overlapping tasks in order while their rests run, and a task that runs alone only after every rest', async () => {
    const flow = { pause: () => {}, resume: () => {} };
    const queue = new MessageQueue(flow, { pauseAt: 16, limit: 100 });
    const log: string[] = [];
    const rests = [gate(), gate()];
    rests.forEach((rest, i) =>
      queue.push(
        async () => {
          log.push(`start ${i}`);
          return { rest: rest.promise.then(() => void log.push(`done ${i}`)) };
        },
        { overlaps: true },
      ),
    );
    queue.push(async () => void log.push('alone'));
    await settle();
    expect(log).toEqual(['start 0', 'start 1']);

    rests[1]?.open();
    await settle();
    expect(log).toEqual(['start 0', 'start 1', 'done 1']);
    rests[0]?.open();
    await settle();
    expect(log).toEqual(['start 0', 'start 1', 'done 1', 'done 0', 'alone']);
  });

  it('finishes a task that runs alone, rest and all, before the next one starts', async () => {
    const queue = new MessageQueue({ pause: () => {}, resume: () => {} }, { pauseAt: 16, limit: 100 });
    const log: string[] = [];
    const rest = gate();
    queue.push(async () => ({ rest: rest.promise.then(() => void log.push('alone done')) }));
    queue.push(async () => void log.push('next'), { overlaps: true });
    await settle();
    expect(log).toEqual([]);
    rest.open();
    await settle();
    expect(log).toEqual(['alone done', 'next']);
  });

  it('stops reading while as many tasks wait or overlap as it pauses at, and reads again at half', async () => {
    const calls: string[] = [];
    const queue = new MessageQueue({ pause: () => calls.push('pause'), resume: () => calls.push('resume') }, { pauseAt: 4, limit: 100 });
    const rests = Array.from({ length: 4 }, gate);
    for (const rest of rests) queue.push(async () => ({ rest: rest.promise }), { overlaps: true });
    await settle();
    expect(calls).toEqual(['pause']);
    rests[0]?.open();
    rests[1]?.open();
    await settle();
    expect(calls).toEqual(['pause', 'resume']);
  });
});
