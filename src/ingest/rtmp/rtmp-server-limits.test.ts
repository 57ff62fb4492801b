import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../../testkit/streams.js';
import { captureLogs, ScriptedPublisher } from '../../../testkit/publishers.js';
import { MessageType, UserControlEvent, userControl } from './messages.js';
import { RtmpServer, type PublishSession, type RtmpLimits, type UnpublishReason } from './rtmp-server.js';

/**
 * What keeps connections that never publish from holding the ingest: the publish deadline,
 * the idle timeout that only media resets, the per-address limit, and eviction at the global limit.
 */
const KEY = `wlk_live_${'c3'.repeat(16)}`;

interface Harness {
  readonly port: number;
  readonly logs: ReturnType<typeof captureLogs>;
  readonly published: PublishSession[];
  readonly unpublished: UnpublishReason[];
}

let server: RtmpServer | null = null;
const clients: ScriptedPublisher[] = [];
const timers: NodeJS.Timeout[] = [];

async function start(limits: Partial<RtmpLimits>): Promise<Harness> {
  const logs = captureLogs();
  const published: PublishSession[] = [];
  const unpublished: UnpublishReason[] = [];
  server = new RtmpServer({
    logger: logs.logger,
    limits,
    authorize: async (key) => (key === KEY ? { ok: true, streamId: `stream-${published.length}` } : { ok: false, reason: 'unknown stream key' }),
    publish: (session) => {
      session.flv.resume();
      published.push(session);
      return true;
    },
    unpublish: (_session, reason) => unpublished.push(reason),
  });
  const { port } = await server.listen(0, '127.0.0.1');
  return { port, logs, published, unpublished };
}

async function client(port: number, from?: string): Promise<ScriptedPublisher> {
  const opened = await ScriptedPublisher.open(port, from);
  clients.push(opened);
  return opened;
}

/** A client that has connected to `live` and created its stream. */
async function ready(port: number, from?: string): Promise<ScriptedPublisher> {
  const opened = await client(port, from);
  await opened.connectApp('live');
  await opened.createStream();
  return opened;
}

/** Sends `send` every 50 ms until the test ends: a trickle that once reset the idle timer. */
function trickle(send: () => void): void {
  timers.push(setInterval(send, 50));
}

const ping = (target: ScriptedPublisher): void => target.send(userControl(UserControlEvent.PingRequest, 1));

/** Waits for the server's side of a close to be logged. */
const logged = (logs: Harness['logs'], text: string): Promise<boolean> =>
  eventually(`the log line "${text}"`, async () => logs.text().includes(text) || undefined, 2000);

/** Whether the connection is still open after `ms`. */
async function openAfter(target: ScriptedPublisher, ms: number): Promise<boolean> {
  const state = await Promise.race([target.closed.then(() => 'closed'), new Promise((resolve) => setTimeout(() => resolve('open'), ms))]);
  return state === 'open';
}

afterEach(async () => {
  for (const timer of timers.splice(0)) clearInterval(timer);
  for (const opened of clients.splice(0)) opened.destroy();
  await server?.close();
  server = null;
});

describe('RTMP ingest: connections that do not publish', () => {
  it('closes a connection with no accepted publish at the deadline, though it keeps sending pings and commands', async () => {
    const { port, logs } = await start({ publishTimeoutMs: 400 });
    const idle = await ready(port);
    trickle(() => {
      ping(idle);
      idle.command(0, 'releaseStream', 0, null, 'x');
    });
    const started = Date.now();
    await idle.closed;
    expect(Date.now() - started).toBeLessThan(1500);
    await logged(logs, 'no publish accepted within 0.4 s of connecting');
  });

  it('takes a publish made before the deadline, and does not close it when the deadline passes', async () => {
    const { port, published } = await start({ publishTimeoutMs: 300 });
    const live = await ready(port);
    expect(await live.publish(KEY)).toMatchObject({ code: 'NetStream.Publish.Start' });
    trickle(() => live.media(MessageType.Audio, 0, Buffer.from([0xaf, 0x01, 0x21])));
    expect(await openAfter(live, 600)).toBe(true);
    expect(published).toHaveLength(1);
  });

  it('ends a publish that sends pings but no media at the idle timeout', async () => {
    const { port, unpublished, logs } = await start({ idleTimeoutMs: 400 });
    const live = await ready(port);
    await live.publish(KEY);
    trickle(() => ping(live));
    await live.closed;
    await logged(logs, 'no media from the publisher for 0.4 s');
    expect(unpublished).toEqual(['timeout']);
  });

  it('closes a connection that stays after its publish ended, once the deadline passes', async () => {
    const { port, unpublished, logs } = await start({ publishTimeoutMs: 400 });
    const live = await ready(port);
    await live.publish(KEY);
    live.command(1, 'deleteStream', 0, null, 1);
    // Media after the publish ended no longer counts as progress.
    trickle(() => live.media(MessageType.Audio, 0, Buffer.from([0xaf, 0x01, 0x21])));
    await live.closed;
    await logged(logs, 'still connected 0.4 s after its publish ended');
    expect(unpublished).toEqual(['unpublished']);
  });
});

describe('RTMP ingest: connection limits', () => {
  it('refuses connections over the per-address limit at once, and not those of other addresses', async () => {
    const { port, logs, published } = await start({ connectionsPerAddress: 2 });
    const held = [await ready(port, '127.0.0.2'), await ready(port, '127.0.0.2')];
    await expect(client(port, '127.0.0.2')).rejects.toThrow(/closed the connection/);
    await expect(client(port, '127.0.0.2')).rejects.toThrow(/closed the connection/);
    // Logged once, with what to do, however many are refused.
    expect(logs.text().match(/RATE_LIMIT_RTMP_PER_ADDRESS/g)).toHaveLength(1);

    const streamer = await ready(port, '127.0.0.1');
    expect(await streamer.publish(KEY)).toMatchObject({ code: 'NetStream.Publish.Start' });
    expect(published).toHaveLength(1);

    // A slot freed is a slot taken again.
    held[0]?.destroy();
    await held[0]?.closed;
    await new Promise((resolve) => setTimeout(resolve, 50)); // the server sees the close
    expect(await openAfter(await client(port, '127.0.0.2'), 100)).toBe(true);
  });

  it('at the global limit, gives a new connection the place of the oldest one not publishing', async () => {
    const { port, published } = await start({ maxConnections: 3 });
    const live = await ready(port, '127.0.0.2');
    await live.publish(KEY);
    const oldest = await ready(port, '127.0.0.3');
    const younger = await ready(port, '127.0.0.4');

    const streamer = await ready(port, '127.0.0.5');
    expect(await streamer.publish(KEY)).toMatchObject({ code: 'NetStream.Publish.Start' });
    await oldest.closed;
    expect(await openAfter(younger, 50)).toBe(true);
    expect(await openAfter(live, 0)).toBe(true);
    expect(published).toHaveLength(2);
  });

  it('refuses a new connection when every connection at the global limit is publishing', async () => {
    const { port } = await start({ maxConnections: 1 });
    const live = await ready(port);
    await live.publish(KEY);
    await expect(client(port)).rejects.toThrow(/closed the connection/);
    expect(await openAfter(live, 50)).toBe(true);
  });
});
