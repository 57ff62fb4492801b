import type { Logger } from 'pino';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import { StreamError } from './errors.js';
import { transition, type LifecycleEvent } from './lifecycle.js';
import type { StatusPatch } from './stream-repository.js';
import type { Stream } from './stream.js';

export interface StatusIntent {
  readonly event: LifecycleEvent;
  /** Computed when the event happened (an end time is the moment the grace period ran out, not when it was stored). */
  readonly patch: StatusPatch;
}

export interface StatusJournalOptions {
  /**
   * Stores one intent against the database's status and answers the stored stream. A
   * StreamError is final (the lifecycle refused the change there, or the stream is gone):
   * the intent is dropped. Any other failure is retried.
   */
  readonly store: (id: string, intent: StatusIntent) => Promise<Stream>;
  /** Told whenever a stream's expected status may have changed (to start or stop its grace timer). */
  readonly onChange: (id: string) => void;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
  readonly retryMs?: { readonly first: number; readonly max: number };
}

interface Line {
  /** The stream as the database last confirmed it. */
  stored: Stream;
  keyHash: string | undefined;
  /** Changes that happened and are not stored yet, oldest first. */
  readonly pending: StatusIntent[];
  draining: boolean;
  /** Failed attempts in a row at storing the oldest pending change. */
  failures: number;
}

/**
 * The encoder-side status changes (connected, disconnected, grace expired, transcoder
 * failed) of the streams whose encoders this node handles. Such a change happened whether
 * or not the database was there to hear it, so it is kept, in order per stream, and
 * retried with backoff until stored; meanwhile `current` answers what the stream's status
 * will be once everything is stored, so an encoder that comes back is judged by the
 * lifecycle against reality, not against the database's stale `live`.
 *
 *   const journal = new StatusJournal({ store, onChange, logger });
 *   journal.remember(stream, keyHash);
 *   const expected = await journal.submit(stream.id, { event: 'encoder_disconnected', patch: {} });
 */
export class StatusJournal {
  private readonly lines = new Map<string, Line>();
  /** Retry waits in progress, each with the way to end it early (on close). */
  private readonly waits = new Map<NodeJS.Timeout, () => void>();
  private closed = false;

  constructor(private readonly options: StatusJournalOptions) {}

  /**
   * Keeps a stream whose encoder this node may handle, as just read from the database. For a
   * stream already kept, only an end is taken from a read (it is final): any other status read
   * may predate a change this journal stored meanwhile, which writes alone keep track of.
   */
  remember(stream: Stream, keyHash?: string): void {
    const line = this.lines.get(stream.id);
    if (!line) {
      if (stream.status !== 'ended') this.lines.set(stream.id, { stored: stream, keyHash, pending: [], draining: false, failures: 0 });
      return;
    }
    line.keyHash = keyHash ?? line.keyHash;
    if (stream.status === 'ended') this.stored(stream);
  }

  /** What the database holds for a stream, just written. */
  stored(stream: Stream): void {
    const line = this.lines.get(stream.id);
    if (!line) return;
    line.stored = stream;
    this.settle(stream.id);
  }

  knows(id: string): boolean {
    return this.lines.has(id);
  }

  /** A new key for the stream: the old one must not let an encoder in, even from memory. */
  rekey(id: string, keyHash: string): void {
    const line = this.lines.get(id);
    if (line) line.keyHash = keyHash;
  }

  /** The stream as it will be once every pending change is stored. */
  current(id: string): Stream | undefined {
    const line = this.lines.get(id);
    return line && project(line);
  }

  /** The known stream whose current key hashes to `keyHash`, for when the database cannot say. */
  byKeyHash(keyHash: string): Stream | undefined {
    for (const line of this.lines.values()) if (line.keyHash === keyHash) return project(line);
    return undefined;
  }

  /** Status changes waiting to be stored, over all streams. */
  get pendingCount(): number {
    let count = 0;
    for (const line of this.lines.values()) count += line.pending.length;
    return count;
  }

  /**
   * Takes a change for a stream `remember`ed before. Refused at once (StreamError) when the
   * lifecycle does not allow it from the expected status. Answers the stored stream when
   * stored on the first attempt, else the expected one while retries go on.
   */
  async submit(id: string, intent: StatusIntent): Promise<Stream> {
    const line = this.lines.get(id);
    if (!line) throw new Error(`stream ${id} is not in the status journal`);
    const expected = project(line);
    const step = transition(expected.status, intent.event);
    if (!step.ok) throw new StreamError('conflict', step.error, step.message);
    if (step.to === expected.status) return expected;
    const waitForStore = line.pending.length === 0;
    line.pending.push(intent);
    this.options.onChange(id);
    const stored = this.drain(id, line, intent);
    return waitForStore ? stored : project(line);
  }

  /** Stops retrying. What is still pending is lost with the process; the next start treats its streams as disconnected. */
  close(): void {
    this.closed = true;
    for (const [timer, end] of this.waits) {
      clearTimeout(timer);
      end();
    }
    this.waits.clear();
    const pending = this.pendingCount;
    if (pending > 0) {
      this.options.logger.warn(
        { pending },
        'Stopping with status changes the database never stored; the next start ends or resumes those streams from what the database has',
      );
    }
  }

  /**
   * Stores the line's pending changes in order. Answers the outcome of `first` (the change
   * the caller waits for): the stored stream, a StreamError, or the expected stream once
   * its first attempt failed on the database.
   */
  private drain(id: string, line: Line, first: StatusIntent): Promise<Stream> {
    return new Promise((resolve, reject) => {
      let answered = false;
      const answer = (outcome: () => void) => {
        if (answered) return;
        answered = true;
        outcome();
      };
      if (line.draining) return answer(() => resolve(project(line)));
      line.draining = true;
      void (async () => {
        for (;;) {
          const intent = line.pending[0];
          if (!intent || this.closed) break;
          try {
            const stream = await this.options.store(id, intent);
            line.stored = stream;
            line.pending.shift();
            if (line.failures > 0) this.recovered(id, line);
            if (intent === first) answer(() => resolve(stream));
          } catch (error) {
            if (error instanceof StreamError) {
              line.pending.shift();
              this.options.logger.warn(
                { streamId: id, event: intent.event, code: error.code },
                'A status change was refused by the stored status (changed elsewhere meanwhile); dropped',
              );
              if (intent === first) answer(() => reject(error));
            } else {
              line.failures += 1;
              if (line.failures === 1) this.unreachable(id, line, intent, error);
              answer(() => resolve(project(line)));
              await this.pause(retryDelay(line.failures, this.options.retryMs));
            }
          }
          this.options.onChange(id);
        }
        line.draining = false;
        answer(() => resolve(project(line)));
        this.settle(id);
      })();
    });
  }

  /** A stream that ended, with nothing left to store, needs no memory here. */
  private settle(id: string): void {
    const line = this.lines.get(id);
    if (line && !line.draining && line.pending.length === 0 && line.stored.status === 'ended') {
      this.lines.delete(id);
    }
  }

  private unreachable(id: string, line: Line, intent: StatusIntent, error: unknown): void {
    this.options.logger.warn(
      { err: error, streamId: id, event: intent.event, pending: line.pending.length },
      isDatabaseUnavailable(error)
        ? 'The database is unreachable: this stream status change is kept and retried until stored; check that the database is up'
        : 'Storing this stream status change failed: it is kept and retried until stored; see the error',
    );
  }

  private recovered(id: string, line: Line): void {
    this.options.logger.info(
      { streamId: id, failedAttempts: line.failures, stillPending: line.pending.length },
      'The database is back: stored a status change that was waiting for it',
    );
    line.failures = 0;
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waits.delete(timer);
        resolve();
      }, ms);
      this.waits.set(timer, resolve);
    });
  }
}

/** The stored stream with the pending changes applied, as the lifecycle allows them. */
function project(line: Line): Stream {
  let stream = line.stored;
  for (const intent of line.pending) {
    const step = transition(stream.status, intent.event);
    if (step.ok) stream = { ...stream, ...definedOnly(intent.patch), status: step.to };
  }
  return stream;
}

export function definedOnly(patch: StatusPatch): StatusPatch {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
}

/** 250 ms, doubling, at most 5 s: quick after a blip, gentle on a database that is starting up. */
function retryDelay(failures: number, retryMs = { first: 250, max: 5_000 }): number {
  return Math.min(retryMs.max, retryMs.first * 2 ** (failures - 1));
}
