import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Forwarder } from './forwarder.js';

const target = async () => ({ url: 'rtmp://127.0.0.1:1/live/sk_secret_1234', key: 'sk_secret_1234' });
const logger = pino({ level: 'silent' });

async function until(condition: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 10_000; !condition(); ) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('Forwarder', () => {
  it('retries a failing push with the waits it is given, then gives up with the reason', async () => {
    const waits: number[] = [];
    let taps = 0;
    const forwarder = new Forwarder({
      // `false` exits 1 at once, as ffmpeg does when the destination refuses.
      ffmpegPath: 'false',
      target,
      source: () => ((taps += 1), new PassThrough()),
      logger,
      destinationId: 'd1',
      retryDelay: (failures) => (failures >= 3 ? undefined : (waits.push(failures * 10), failures * 10)),
    });
    forwarder.start();
    await until(() => forwarder.current.state === 'failed');
    expect(waits).toEqual([10, 20]);
    expect(taps).toBe(3);
    expect(forwarder.current).toEqual({ state: 'failed', reason: 'ffmpeg exited with code 1.', retryAt: null });

    // Trying again starts the count over.
    forwarder.start();
    await until(() => taps === 6 && forwarder.current.state === 'failed');
    await forwarder.stop();
    expect(forwarder.current.state).toBe('idle');
  });

  it('says retrying, with when, between attempts, and waits for an encoder when there is none', async () => {
    let source: PassThrough | undefined;
    const forwarder = new Forwarder({
      ffmpegPath: '/nonexistent/ffmpeg',
      target,
      source: () => source,
      logger,
      destinationId: 'd2',
      retryDelay: () => 60_000,
    });
    forwarder.start();
    expect(forwarder.current.state).toBe('idle');
    source = new PassThrough();
    forwarder.sourceChanged();
    await until(() => forwarder.current.state === 'retrying');
    expect(forwarder.current.reason).toMatch(/could not start \/nonexistent\/ffmpeg/);
    expect(forwarder.current.retryAt).toBeGreaterThan(Date.now() + 50_000);
    await forwarder.stop();
    expect(forwarder.current).toEqual({ state: 'idle', reason: null, retryAt: null });
  });
});
