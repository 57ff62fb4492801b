import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { FfmpegProcess } from '../media/ffmpeg-process.js';
import type { ForwardState } from '../protocol/destinations.js';
import { retryDelay, STABLE_MS } from './backoff.js';
import { failureReason, forwardArgs, RW_TIMEOUT_MS } from './forward-args.js';

export interface ForwardStatus {
  readonly state: ForwardState;
  readonly reason: string | null;
  readonly retryAt: number | null;
}

export interface ForwarderOptions {
  readonly ffmpegPath: string;
  /** The push URL and its key (to mask in what ffmpeg says); undefined when the destination is gone. */
  readonly target: () => Promise<{ readonly url: string; readonly key: string } | undefined>;
  /** A fresh tap of the stream's source, or undefined while no encoder is connected. */
  readonly source: () => Readable | undefined;
  /** Logged: the destination's id and state, never its URL or key. */
  readonly logger: Pick<Logger, 'info' | 'warn'>;
  readonly destinationId: string;
  /** The wait before the next attempt after `failures` failures in a row (undefined: give up). */
  readonly retryDelay?: (failures: number) => number | undefined;
}

const IDLE: ForwardStatus = { state: 'idle', reason: null, retryAt: null };

/**
 * One destination's push, in a process of its own: connecting, live once the destination
 * takes bytes, retrying with a growing wait when it fails (refused, wrong key, stalled),
 * failed after too many failures in a row. Its source is a tap, so nothing it does can
 * hold up the stream's own transcoder or another destination.
 *
 *   const forwarder = new Forwarder({ ffmpegPath, target, source, logger, destinationId });
 *   forwarder.start();            // the stream went live
 *   forwarder.sourceChanged();    // the encoder reconnected
 *   await forwarder.stop('paused'); forwarder.start();
 *   await forwarder.stop();
 */
export class Forwarder {
  private status: ForwardStatus = IDLE;
  private process: FfmpegProcess | undefined;
  private input: Readable | undefined;
  private timer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private running = false;
  private failures = 0;
  private waitingForSource = false;

  constructor(private readonly options: ForwarderOptions) {}

  get current(): ForwardStatus {
    return this.status;
  }

  /** Begins pushing; also the way to try again a destination that was given up, or to resume. */
  start(): void {
    if (this.running && this.status.state !== 'failed') return;
    this.running = true;
    this.failures = 0;
    void this.attempt();
  }

  /** A new encoder connection: a push that was waiting for one begins now. */
  sourceChanged(): void {
    if (this.running && this.waitingForSource) void this.attempt();
  }

  /** Stops pushing; the state says `paused` (the stream is paused) or, by default, idle. */
  async stop(state: 'idle' | 'paused' = 'idle'): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    clearInterval(this.watchdog);
    const process = this.process;
    this.process = undefined;
    this.input?.destroy();
    await process?.stop(2000);
    // Started again meanwhile (a resume right after a pause): the new attempt's state stands.
    if (!this.running) this.set(state === 'idle' ? IDLE : { ...IDLE, state });
  }

  private async attempt(): Promise<void> {
    clearTimeout(this.timer);
    this.waitingForSource = false;
    const input = this.options.source();
    if (!input) {
      this.waitingForSource = true;
      return this.set(IDLE);
    }
    const target = await this.options.target().catch(() => undefined);
    if (!this.running || !target) {
      input.destroy();
      return;
    }
    this.set({ state: 'connecting', reason: null, retryAt: null });
    let sourceEnded = false;
    input.once('end', () => (sourceEnded = true));
    const process = new FfmpegProcess(this.options.ffmpegPath, forwardArgs(target.url), input, { outputs: 1 });
    this.process = process;
    this.input = input;
    let liveSince: number | undefined;
    let lastProgress = Date.now();
    let sent = 0;
    let stalled: string | undefined;
    process.outputs[0]?.setEncoding('utf8').on('data', (text: string) => {
      const size = /total_size=(\d+)/.exec(text)?.[1];
      if (size === undefined || Number(size) <= sent) return;
      sent = Number(size);
      lastProgress = Date.now();
      if (liveSince === undefined && this.process === process) {
        liveSince = Date.now();
        this.options.logger.info({ destinationId: this.options.destinationId }, 'forwarding is live');
        this.set({ state: 'live', reason: null, retryAt: null });
      }
    });
    // ffmpeg's own timeout does not cover every wait (a server that accepts and never answers the handshake).
    clearInterval(this.watchdog);
    this.watchdog = setInterval(() => {
      if (Date.now() - lastProgress <= RW_TIMEOUT_MS + 5000) return;
      stalled = liveSince === undefined ? 'The destination did not answer in time.' : 'The destination stopped taking the stream.';
      void process.stop(2000);
    }, 1000);
    this.watchdog.unref();

    const exit = await process.exited;
    clearInterval(this.watchdog);
    input.destroy();
    if (this.process !== process || !this.running) return;
    this.process = undefined;
    if (sourceEnded && exit.code === 0) {
      // The encoder left: not the destination's fault; the push resumes when it is back.
      this.waitingForSource = true;
      return this.set(IDLE);
    }
    this.failures = liveSince !== undefined && Date.now() - liveSince >= STABLE_MS ? 1 : this.failures + 1;
    const reason = stalled ?? failureReason(exit.reason, target.key);
    const delay = (this.options.retryDelay ?? retryDelay)(this.failures);
    this.options.logger.warn({ destinationId: this.options.destinationId, failures: this.failures, reason }, 'forwarding failed');
    if (delay === undefined) return this.set({ state: 'failed', reason, retryAt: null });
    this.set({ state: 'retrying', reason, retryAt: Date.now() + delay });
    this.timer = setTimeout(() => void this.attempt(), delay);
    this.timer.unref();
  }

  private set(status: ForwardStatus): void {
    this.status = status;
  }
}
