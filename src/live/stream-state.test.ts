import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openScratchStreams, type ScratchStreams } from '../../testkit/scratch.js';
import { createStreamRequestSchema } from '../protocol/stream-settings.js';
import type { StreamService } from '../streams/stream-service.js';
import type { Stream } from '../streams/stream.js';
import { StreamState, type LiveReactions } from './stream-state.js';

const ALICE = 'a'.repeat(64);

let scratch: ScratchStreams;
let service: StreamService;
let logged: string[];
let state: StreamState;

beforeEach(async () => {
  scratch = await openScratchStreams();
  service = scratch.streams;
  logged = [];
  state = new StreamState(service, pino({ level: 'error' }, { write: (line: string) => logged.push(line) }));
});

afterEach(() => scratch.close());

/** Follows every moment, writing `<name>:<moment>[:<from>]` in the order they came. */
function recorder(name: string, seen: string[]): LiveReactions {
  const note = (moment: string) => (stream: Stream) => seen.push(`${name}:${moment}:${stream.status}`);
  return {
    created: note('created'),
    transition: ({ stream, from }) => seen.push(`${name}:transition:${from}>${stream.status}`),
    previewDiscarded: note('previewDiscarded'),
    dropped: note('dropped'),
    ended: (stream, from) => seen.push(`${name}:ended:${from}>${stream.status}`),
    paused: note('paused'),
    updated: note('updated'),
    viewers: note('viewers'),
  };
}

async function newStream(): Promise<Stream> {
  return (await service.create(ALICE, createStreamRequestSchema.parse({ title: 'State', category: 'music' }))).stream;
}

describe('StreamState', () => {
  it('names the moments of a broadcast: preview, live, drop, reconnect, pause, end', async () => {
    const seen: string[] = [];
    state.follow(recorder('a', seen));
    const stream = await newStream();
    await service.encoderConnected(stream.id);
    await service.encoderDisconnected(stream.id);
    await service.encoderConnected(stream.id);
    await service.start(stream.id, ALICE);
    await service.encoderDisconnected(stream.id);
    await service.encoderConnected(stream.id);
    await service.setPaused(stream.id, ALICE, true);
    await service.updateViewers(stream.id, { current: 3, peak: 3, total: 4 });
    await service.update(stream.id, ALICE, { title: 'Renamed' });
    await service.stop(stream.id, ALICE);
    expect(seen).toEqual([
      'a:created:created',
      'a:transition:created>connected',
      'a:transition:connected>created',
      'a:previewDiscarded:created',
      'a:transition:created>connected',
      'a:transition:connected>live',
      'a:transition:live>reconnecting',
      'a:dropped:reconnecting',
      'a:transition:reconnecting>live',
      'a:paused:live',
      'a:viewers:live',
      'a:updated:live',
      'a:transition:live>ended',
      'a:ended:live>ended',
    ]);
  });

  it('takes a failure for an end, with the status it failed from', async () => {
    const seen: string[] = [];
    state.follow({ ended: (stream, from) => seen.push(`${from}>${stream.status}`) });
    const stream = await newStream();
    await service.encoderConnected(stream.id);
    await service.failed(stream.id, 'transcoder gave up');
    expect(seen).toEqual(['connected>error']);
  });

  it('gives each part the transition and its moment before the next part sees either', async () => {
    const seen: string[] = [];
    state.follow(recorder('first', seen));
    state.follow(recorder('second', seen));
    const stream = await newStream();
    seen.length = 0;
    await service.stop(stream.id, ALICE);
    expect(seen).toEqual([
      'first:transition:created>ended',
      'first:ended:created>ended',
      'second:transition:created>ended',
      'second:ended:created>ended',
    ]);
  });

  it('keeps the other parts acting when one reaction throws, and logs it', async () => {
    const seen: string[] = [];
    state.follow({
      ended: () => {
        throw new Error('broken reaction');
      },
    });
    state.follow({ ended: (stream) => seen.push(stream.status) });
    const stream = await newStream();
    await service.stop(stream.id, ALICE);
    expect(seen).toEqual(['ended']);
    expect(logged.join('')).toContain('a live stream reaction threw');
  });

  it("hands another node's changes only to the parts that act on every node's changes", async () => {
    const seen: string[] = [];
    state.follow(recorder('once', seen));
    state.follow({ ...recorder('every', seen), everyNode: true });
    const stream = await newStream();
    seen.length = 0;
    state.heardStatus({ stream: { ...stream, status: 'ended' }, from: 'live' });
    state.heard('paused', stream);
    state.heard('viewers', stream);
    expect(seen).toEqual(['every:transition:live>ended', 'every:ended:live>ended', 'every:paused:created', 'every:viewers:created']);
  });
});
