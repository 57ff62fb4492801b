import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { StreamError } from './errors.js';
import { transition, type LifecycleEvent, type StreamStatus } from './lifecycle.js';
import { StatusJournal, type StatusIntent } from './status-journal.js';
import type { Stream } from './stream.js';

const ID = 'stream-1';

function stream(status: StreamStatus): Stream {
  return {
    id: ID,
    pubkey: 'a'.repeat(64),
    title: 'Journal',
    description: '',
    category: 'music',
    tags: [],
    visibility: 'public',
    enableChat: true,
    record: false,
    quality: '480p',
    status,
    statusReason: null,
    rtmpIngestUrl: 'rtmp://127.0.0.1:1935/live',
    hlsPlaybackUrl: `http://127.0.0.1/hls/${ID}/master.m3u8`,
    startedAt: 1,
    endedAt: null,
    currentViewers: 0,
    maxViewers: 0,
    totalViewers: 0,
    createdAt: 1,
    updatedAt: 1,
    paused: false,
    recordingUrl: null,
    imageUrl: null,
    goal: null,
    thumbnailAt: null,
    startsAt: null,
  streamType: 'video',
  signer: 'service',
    moderators: [],
    nowPlaying: null,
  };
}

const unreachable = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

/**
 * A store over one stored status with the lifecycle's rules, which can be made unreachable:
 * the stand-in for the stream table that the service's compare-and-set writes.
 */
class StatusTable {
  status: StreamStatus;
  up = true;
  attempts = 0;
  readonly written: [StreamStatus, StreamStatus][] = [];

  constructor(initial: StreamStatus) {
    this.status = initial;
  }

  readonly store = async (_id: string, intent: StatusIntent): Promise<Stream> => {
    this.attempts += 1;
    await Promise.resolve();
    if (!this.up) throw unreachable();
    const step = transition(this.status, intent.event);
    if (!step.ok) throw new StreamError('conflict', step.error, step.message);
    if (step.to !== this.status) this.written.push([this.status, step.to]);
    this.status = step.to;
    return { ...stream(step.to), ...intent.patch };
  };
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
};

let journal: StatusJournal | undefined;
afterEach(() => journal?.close());

function journalOver(table: StatusTable, changes: string[] = []) {
  journal = new StatusJournal({
    store: table.store,
    onChange: (id) => changes.push(`${id}:${journal?.current(id)?.status}`),
    logger: pino({ level: 'silent' }),
    retryMs: { first: 5, max: 20 },
  });
  journal.remember(stream(table.status), 'key-hash');
  return journal;
}

const intent = (event: LifecycleEvent, patch: StatusIntent['patch'] = {}): StatusIntent => ({ event, patch });

describe('StatusJournal', () => {
  it('answers the stored stream when the database takes the change at once', async () => {
    const table = new StatusTable('live');
    const subject = journalOver(table);
    const stored = await subject.submit(ID, intent('encoder_disconnected'));
    expect(stored.status).toBe('reconnecting');
    expect(table.written).toEqual([['live', 'reconnecting']]);
    expect(subject.pendingCount).toBe(0);
  });

  it('keeps changes the database cannot take, in order, and stores them all once it is back', async () => {
    const table = new StatusTable('live');
    table.up = false;
    const subject = journalOver(table);
    // The drop and the return both happened while the database was away.
    expect((await subject.submit(ID, intent('encoder_disconnected'))).status).toBe('reconnecting');
    expect((await subject.submit(ID, intent('encoder_connected'))).status).toBe('live');
    expect(subject.pendingCount).toBe(2);
    expect(table.status).toBe('live');

    table.up = true;
    await until(() => subject.pendingCount === 0);
    expect(table.written).toEqual([
      ['live', 'reconnecting'],
      ['reconnecting', 'live'],
    ]);
  });

  it('judges an event by the expected status, not the stale stored one', async () => {
    const table = new StatusTable('live');
    table.up = false;
    const subject = journalOver(table);
    await subject.submit(ID, intent('encoder_disconnected'));
    // Stored, the stream is still `live`: an encoder there would be "already publishing".
    expect((await subject.submit(ID, intent('encoder_connected'))).status).toBe('live');
    // A second encoder while the first is back is refused, as the lifecycle says.
    await expect(subject.submit(ID, intent('encoder_connected'))).rejects.toMatchObject({ code: 'already_publishing' });
    expect(subject.pendingCount).toBe(2);
  });

  it('keeps the moment each change happened in its patch', async () => {
    const table = new StatusTable('reconnecting');
    table.up = false;
    const subject = journalOver(table);
    const ended = await subject.submit(ID, intent('grace_expired', { endedAt: 1234, statusReason: 'gone' }));
    expect(ended).toMatchObject({ status: 'ended', endedAt: 1234, statusReason: 'gone' });
    table.up = true;
    await until(() => table.status === 'ended');
  });

  it('drops a change the stored status refuses (changed elsewhere) and goes on with the next', async () => {
    const table = new StatusTable('reconnecting');
    table.up = false;
    const subject = journalOver(table);
    await subject.submit(ID, intent('encoder_connected'));
    await subject.submit(ID, intent('encoder_disconnected'));
    // Meanwhile the streamer ended the stream: the return is refused there, the drop changes nothing.
    table.status = 'ended';
    table.up = true;
    await until(() => subject.pendingCount === 0);
    expect(table.written).toEqual([]);
    expect(table.attempts).toBeGreaterThanOrEqual(3);
  });

  it('tells of every change of the expected status, so the grace timer follows it', async () => {
    const table = new StatusTable('live');
    table.up = false;
    const changes: string[] = [];
    const subject = journalOver(table, changes);
    await subject.submit(ID, intent('encoder_disconnected'));
    expect(changes[0]).toBe(`${ID}:reconnecting`);
    table.up = true;
    await until(() => subject.pendingCount === 0);
    expect(changes.at(-1)).toBe(`${ID}:reconnecting`);
  });

  it('finds a known stream by its key hash while the database cannot, and forgets a replaced key', async () => {
    const table = new StatusTable('live');
    table.up = false;
    const subject = journalOver(table);
    await subject.submit(ID, intent('encoder_disconnected'));
    expect(subject.byKeyHash('key-hash')?.status).toBe('reconnecting');
    subject.rekey(ID, 'new-key-hash');
    expect(subject.byKeyHash('key-hash')).toBeUndefined();
    expect(subject.byKeyHash('new-key-hash')?.id).toBe(ID);
  });

  it('stops retrying on close', async () => {
    const table = new StatusTable('live');
    table.up = false;
    const subject = journalOver(table);
    await subject.submit(ID, intent('encoder_disconnected'));
    await until(() => table.attempts >= 3);
    subject.close();
    const attempts = table.attempts;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(table.attempts).toBe(attempts);
  });
});
