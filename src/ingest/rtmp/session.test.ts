import { once } from 'node:events';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLogs, ScriptedPublisher } from '../../../testkit/publishers.js';
import { waitUntil } from '../../../testkit/streams.js';
import { Amf0EcmaArray, encodeAmf0 } from './amf0.js';
import { MessageType, UserControlEvent, controlMessage, uint32Payload, userControl, type RtmpMessage } from './messages.js';
import { Publishers } from '../../live/publishers.js';
import { RtmpServer, type AuthorizeResult, type PublishSession, type RtmpLimits, type UnpublishReason } from './rtmp-server.js';

const KEY = `wlk_live_${'a1'.repeat(16)}`;
const WRONG_KEY = `wlk_live_${'0f'.repeat(16)}`;

interface Harness {
  readonly server: RtmpServer;
  /** Who publishes to which stream, as the service records it. */
  readonly live: Publishers;
  readonly port: number;
  readonly logs: ReturnType<typeof captureLogs>;
  readonly published: PublishSession[];
  readonly unpublished: { session: PublishSession; reason: UnpublishReason }[];
  readonly authorized: string[];
  /** Resolves with the next unpublish. */
  nextUnpublish(): Promise<{ session: PublishSession; reason: UnpublishReason }>;
}

let harness: Harness | null = null;
const publishers: ScriptedPublisher[] = [];

async function start(options: { authorize?: (key: string) => Promise<AuthorizeResult>; limits?: Partial<RtmpLimits> } = {}): Promise<Harness> {
  const logs = captureLogs();
  const published: PublishSession[] = [];
  const unpublished: Harness['unpublished'] = [];
  const authorized: string[] = [];
  let onUnpublish: (() => void)[] = [];
  const live = new Publishers();
  const server = new RtmpServer({
    logger: logs.logger,
    limits: options.limits,
    authorize: async (key) => {
      authorized.push(key);
      if (options.authorize) return options.authorize(key);
      return key === KEY ? { ok: true, streamId: 'stream-1' } : { ok: false, reason: 'unknown stream key' };
    },
    publish: (session) => live.claim(session) && published.push(session) > 0,
    unpublish: (session, reason) => {
      live.release(session);
      unpublished.push({ session, reason });
      for (const wake of onUnpublish) wake();
      onUnpublish = [];
    },
  });
  const { port } = await server.listen(0, '127.0.0.1');
  const count = (): number => unpublished.length;
  harness = {
    server, live, port, logs, published, unpublished, authorized,
    nextUnpublish: () => {
      const seen = count();
      return new Promise((resolve) => {
        const check = (): void => {
          const entry = unpublished[seen];
          if (entry) resolve(entry);
          else onUnpublish.push(check);
        };
        check();
      });
    },
  };
  return harness;
}

async function publisher(port: number): Promise<ScriptedPublisher> {
  const opened = await ScriptedPublisher.open(port);
  publishers.push(opened);
  return opened;
}

/** A publisher that has connected to `live` and created its stream. */
async function readyPublisher(port: number): Promise<ScriptedPublisher> {
  const opened = await publisher(port);
  await opened.connectApp('live');
  await opened.createStream();
  return opened;
}

async function readAll(session: PublishSession): Promise<Buffer> {
  const chunks: Buffer[] = [];
  session.flv.on('data', (chunk: Buffer) => chunks.push(chunk));
  await once(session.flv, 'end');
  return Buffer.concat(chunks);
}

function flvTags(flv: Buffer): { type: number; timestamp: number; data: Buffer }[] {
  expect(flv.subarray(0, 13).toString('hex')).toBe('464c5601' + '05' + '00000009' + '00000000');
  const tags = [];
  for (let offset = 13; offset < flv.length; ) {
    const size = flv.readUIntBE(offset + 1, 3);
    const timestamp = (flv.readUInt8(offset + 7) * 0x1000000 + flv.readUIntBE(offset + 4, 3)) >>> 0;
    tags.push({ type: flv.readUInt8(offset), timestamp, data: flv.subarray(offset + 11, offset + 11 + size) });
    expect(flv.readUInt32BE(offset + 11 + size)).toBe(11 + size);
    offset += 15 + size;
  }
  return tags;
}

const video = (keyframe: boolean, body: string): Buffer => Buffer.concat([Buffer.from([keyframe ? 0x17 : 0x27, 1, 0, 0, 0]), Buffer.from(body)]);

afterEach(async () => {
  for (const opened of publishers.splice(0)) opened.destroy();
  if (harness) {
    const logged = harness.logs.text();
    await harness.server.close();
    harness = null;
    for (const secret of [KEY, WRONG_KEY]) expect(logged).not.toContain(secret);
  }
});

describe('RTMP session: connecting', () => {
  it('answers connect with window size, peer bandwidth, chunk size 4096 and Connect.Success', async () => {
    const { port } = await start();
    const client = await publisher(port);
    const info = await client.connectApp('live');
    expect(info).toMatchObject({ level: 'status', code: 'NetConnection.Connect.Success' });
    const control = (type: number): RtmpMessage | undefined => client.received.find((message) => message.type === type);
    expect(control(MessageType.WindowAckSize)?.payload.readUInt32BE(0)).toBe(2_500_000);
    expect(control(MessageType.SetPeerBandwidth)?.payload.toString('hex')).toBe('002625a002');
    // The reader applies Set Chunk Size itself; find it in the raw bytes: csid 2, fmt 0, type 1, 4096.
    expect(client.rawReceived().toString('hex')).toContain('02000000000004010000000000001000');
  });

  it('answers releaseStream, FCPublish (with onFCPublish) and createStream', async () => {
    const { port } = await start();
    const client = await publisher(port);
    await client.connectApp();
    client.command(0, 'releaseStream', 12, null, KEY);
    client.command(0, 'FCPublish', 13, null, KEY);
    expect(await client.commandReply('_result', 12)).toEqual(['_result', 12, null, undefined]);
    expect(await client.commandReply('_result', 13)).toEqual(['_result', 13, null, undefined]);
    expect((await client.commandReply('onFCPublish'))[3]).toMatchObject({ code: 'NetStream.Publish.Start' });
    expect(await client.createStream()).toBe(1);
  });

  it('answers pings and acknowledges bytes as the publisher’s window asks', async () => {
    const { port } = await start();
    const client = await publisher(port);
    await client.connectApp();
    client.send(userControl(UserControlEvent.PingRequest, 1234));
    const pong = await client.waitFor((message) => message.type === MessageType.UserControl);
    expect(pong.payload.toString('hex')).toBe('0007' + '000004d2');

    client.send(controlMessage(MessageType.WindowAckSize, uint32Payload(5000)));
    client.command(0, 'noSuchCommand', 0, null, 'x'.repeat(6000));
    const ack = await client.waitFor((message) => message.type === MessageType.Acknowledgement);
    // Everything sent so far counts: C0, C1, C2 and the chunks.
    expect(ack.payload.readUInt32BE(0)).toBeGreaterThan(1 + 1536 * 2 + 6000);
  });
});

describe('RTMP session: publishing', () => {
  it('accepts the right key, then pipes metadata and media as FLV; media before publish is discarded', async () => {
    const { port, published, nextUnpublish } = await start();
    const client = await readyPublisher(port);
    client.media(MessageType.Video, 0, video(true, 'too early'));
    const status = await client.publish(KEY);
    expect(status).toMatchObject({ level: 'status', code: 'NetStream.Publish.Start' });
    expect(published.map((session) => [session.streamId, session.remoteAddress])).toEqual([['stream-1', '127.0.0.1']]);
    const session = published[0] as PublishSession;
    const flv = readAll(session);

    const metadata = encodeAmf0('onMetaData', new Amf0EcmaArray({ width: 320, height: 240, videocodecid: 7 }));
    client.send({ csid: 5, type: MessageType.DataAmf0, streamId: 1, timestamp: 10, payload: Buffer.concat([encodeAmf0('@setDataFrame'), metadata]) });
    client.media(MessageType.Audio, 0, Buffer.from([0xaf, 0x01, 0x21]));
    client.media(MessageType.Video, 0x01000040, video(true, 'keyframe'));
    const ended = nextUnpublish();
    client.command(1, 'FCUnpublish', 0, null, KEY);
    client.command(1, 'deleteStream', 0, null, 1);
    expect((await ended).reason).toBe('unpublished');

    const tags = flvTags(await flv);
    expect(tags.map((tag) => [tag.type, tag.timestamp])).toEqual([[18, 0], [8, 0], [9, 0x01000040]]);
    expect(tags[0]?.data).toEqual(metadata);
    expect(tags[2]?.data.subarray(5).toString()).toBe('keyframe');
    expect(session.stats().video).toMatchObject({ codec: 'h264', width: 320, height: 240, keyframes: 1 });
  });

  it('checks the key before accepting media: media sent while authorize is pending is discarded', async () => {
    let allow: (result: AuthorizeResult) => void = () => undefined;
    const { port, published, authorized } = await start({ authorize: () => new Promise((resolve) => (allow = resolve)) });
    const client = await readyPublisher(port);
    client.command(1, 'publish', 0, null, KEY, 'live');
    await waitUntil(() => authorized.length === 1);
    client.media(MessageType.Video, 0, video(true, 'during authorize'));
    await new Promise((resolve) => setTimeout(resolve, 50)); // let that media reach the server first
    allow({ ok: true, streamId: 'stream-1' });
    await client.commandReply('onStatus');
    const session = published[0] as PublishSession;
    const flv = readAll(session);
    client.media(MessageType.Video, 40, video(false, 'accepted'));
    client.command(1, 'deleteStream', 0, null, 1);
    expect(flvTags(await flv).map((tag) => tag.data.subarray(5).toString())).toEqual(['accepted']);
  });

  it('reads past large media sent before publish, but refuses a large command from an unauthorized peer', async () => {
    const { port, published, nextUnpublish } = await start();
    const client = await readyPublisher(port);
    client.media(MessageType.Video, 0, Buffer.alloc(500_000, 0x17));
    expect(await client.publish(KEY)).toMatchObject({ code: 'NetStream.Publish.Start' });
    expect(published).toHaveLength(1);

    const stranger = await readyPublisher(port);
    stranger.command(0, 'connect', 9, { app: 'live', padding: 'x'.repeat(70_000) });
    await stranger.closed;
    expect(published).toHaveLength(1);
    const ended = nextUnpublish();
    client.destroy();
    expect((await ended).reason).toBe('disconnected');
  });

  it('refuses a wrong key with Publish.Unauthorized, hangs up, and logs the key redacted', async () => {
    const { port, published, logs } = await start();
    const client = await readyPublisher(port);
    expect(await client.publish(WRONG_KEY)).toMatchObject({ level: 'error', code: 'NetStream.Publish.Unauthorized', description: 'unknown stream key' });
    await client.closed;
    expect(published).toEqual([]);
    expect(logs.text()).toContain('wlk_live_…');
  });

  it('refuses other applications and a missing key without asking authorize', async () => {
    const { port, authorized } = await start();
    const wrongApp = await publisher(port);
    await wrongApp.connectApp('other');
    await wrongApp.createStream();
    expect(await wrongApp.publish(KEY)).toMatchObject({ code: 'NetStream.Publish.BadName' });
    const noKey = await readyPublisher(port);
    expect(await noKey.publish('')).toMatchObject({ code: 'NetStream.Publish.BadName' });
    expect(authorized).toEqual([]);
  });

  it('reads "live/" and "key?args" as the app and key nginx-rtmp would', async () => {
    const { port, published, authorized } = await start();
    const client = await publisher(port);
    await client.connectApp('live/');
    await client.createStream();
    expect(await client.publish(`${KEY}?foo=bar`)).toMatchObject({ code: 'NetStream.Publish.Start' });
    expect(authorized).toEqual([KEY]);
    expect(published).toHaveLength(1);
  });

  it('refuses a second publisher of the same stream while the first is connected, and accepts one after', async () => {
    const { port, live, published, nextUnpublish } = await start();
    const first = await readyPublisher(port);
    await first.publish(KEY);
    const second = await readyPublisher(port);
    expect(await second.publish(KEY)).toMatchObject({ code: 'NetStream.Publish.BadName', description: 'already publishing' });
    await second.closed;
    expect(live.all()).toEqual([published[0]]);

    const ended = nextUnpublish();
    first.destroy();
    expect((await ended).reason).toBe('disconnected');
    const third = await readyPublisher(port);
    expect(await third.publish(KEY)).toMatchObject({ code: 'NetStream.Publish.Start' });
  });

  it('refuses when authorize throws, saying to try again', async () => {
    const { port, logs } = await start({ authorize: () => Promise.reject(new Error('database down')) });
    const client = await readyPublisher(port);
    expect(await client.publish(KEY)).toMatchObject({ code: 'NetStream.Publish.Unauthorized', description: expect.stringContaining('try again') });
    expect(logs.text()).toContain('database down');
  });

  it('publishes nothing when the publisher leaves while authorize is pending', async () => {
    let allow: (result: AuthorizeResult) => void = () => undefined;
    const { port, published, unpublished, authorized } = await start({ authorize: () => new Promise((resolve) => (allow = resolve)) });
    const client = await readyPublisher(port);
    client.command(1, 'publish', 0, null, KEY, 'live');
    await waitUntil(() => authorized.length === 1);
    client.destroy();
    await client.closed;
    await new Promise((resolve) => setTimeout(resolve, 50)); // the server sees the close
    allow({ ok: true, streamId: 'stream-1' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(published).toEqual([]);
    expect(unpublished).toEqual([]);
  });
});

describe('RTMP session: ending', () => {
  it('ends the publish and the connection on PublishSession.close()', async () => {
    const { port, published, nextUnpublish } = await start();
    const client = await readyPublisher(port);
    await client.publish(KEY);
    const session = published[0] as PublishSession;
    const flv = readAll(session);
    const ended = nextUnpublish();
    session.close();
    expect((await ended).reason).toBe('closed');
    await client.closed;
    await flv;
  });

  it('ends every publish and connection on server close', async () => {
    const { port, server, unpublished } = await start();
    const live = await readyPublisher(port);
    await live.publish(KEY);
    const idle = await publisher(port);
    await server.close();
    await Promise.all([live.closed, idle.closed]);
    expect(unpublished.map((entry) => entry.reason)).toEqual(['server-closing']);
  });

  it('cuts off a connection that does not finish the handshake in time', async () => {
    const { port } = await start({ limits: { publishTimeoutMs: 100 } });
    const socket = connect(port, '127.0.0.1');
    socket.write(Buffer.from([3]));
    await once(socket, 'close');
  });

  it('ends a silent publisher’s publish with reason timeout', async () => {
    const { port, nextUnpublish } = await start({ limits: { idleTimeoutMs: 300 } });
    const client = await readyPublisher(port);
    const ended = nextUnpublish();
    await client.publish(KEY);
    expect((await ended).reason).toBe('timeout');
    await client.closed;
  });

  it('ends the connection on a message over the size limit', async () => {
    const { port, nextUnpublish } = await start({ limits: { maxMessageSize: 1000 } });
    const client = await readyPublisher(port);
    await client.publish(KEY);
    const ended = nextUnpublish();
    client.media(MessageType.Video, 0, Buffer.alloc(1001));
    expect((await ended).reason).toBe('protocol-error');
    await client.closed;
  });

  it('stops reading the publisher while the FLV stream is not read, and catches up once it is', async () => {
    const { port, published } = await start();
    const client = await readyPublisher(port);
    await client.publish(KEY);
    const session = published[0] as PublishSession;
    const frame = Buffer.alloc(100 * 1024, 0x27);
    for (let index = 0; index < 40; index += 1) client.media(MessageType.Video, index * 40, frame);
    await waitUntil(() => session.flv.readableLength >= 1 << 20);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Unread, the FLV holds about its 1 MiB high-water mark, not the 4 MiB sent.
    expect(session.flv.readableLength).toBeLessThan(2 << 20);

    const flv = readAll(session);
    await waitUntil(() => session.stats().mediaBytes === 40 * frame.length);
    client.command(1, 'deleteStream', 0, null, 1);
    expect(flvTags(await flv)).toHaveLength(40);
  });
});
