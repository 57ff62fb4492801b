import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChunkWriter } from '../../src/ingest/rtmp/chunk-writer.js';
import { UserControlEvent, userControl } from '../../src/ingest/rtmp/messages.js';
import { pushTestPattern } from '../../testkit/publishers.js';
import { createStream, eventually, ingestUrl, statusOf } from '../../testkit/streams.js';
import { TestUser } from '../../testkit/nostr.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';

const HANDSHAKE = 1536;

/**
 * Connections that complete the handshake and then only trickle pings, never publishing:
 * what once kept every real encoder out of the ingest.
 */
class Flood {
  /** Sockets the server let through the handshake and has not closed. */
  readonly live = new Set<Socket>();
  admitted = 0;
  private readonly sockets: Socket[] = [];
  private readonly ping = new ChunkWriter().encode(userControl(UserControlEvent.PingRequest, 1));
  private timer: NodeJS.Timeout | undefined;

  /** Opens `count` connections spread over `addresses`; resolves once each is through the handshake or closed. */
  async open(port: number, count: number, addresses: readonly string[]): Promise<void> {
    await Promise.all(Array.from({ length: count }, (_, index) => this.connectOne(port, addresses[index % addresses.length] ?? '127.0.0.2')));
    this.timer = setInterval(() => {
      for (const socket of this.live) socket.write(this.ping);
    }, 1000);
  }

  stop(): void {
    clearInterval(this.timer);
    for (const socket of this.sockets) socket.destroy();
  }

  private connectOne(port: number, localAddress: string): Promise<void> {
    return new Promise((resolve) => {
      const socket = connect({ port, host: '127.0.0.1', localAddress });
      this.sockets.push(socket);
      socket.on('error', () => undefined); // refused or reset: counted as closed
      socket.once('connect', () => socket.write(Buffer.concat([Buffer.from([3]), Buffer.alloc(HANDSHAKE)])));
      let received = 0;
      const onData = (data: Buffer): void => {
        received += data.length;
        if (received < 1 + 2 * HANDSHAKE) return;
        socket.off('data', onData);
        socket.write(Buffer.alloc(HANDSHAKE)); // C2: the server does not check it
        this.live.add(socket);
        this.admitted += 1;
        resolve();
      };
      socket.on('data', onData);
      socket.once('close', () => {
        this.live.delete(socket);
        resolve();
      });
    });
  }
}

/** 127.0.0.2 … : loopback addresses other than the encoder's 127.0.0.1. */
const addresses = (count: number): string[] => Array.from({ length: count }, (_, index) => `127.0.0.${index + 2}`);

describe('RTMP ingest flooded by connections that never publish', () => {
  const alice = new TestUser();
  let server: TestServer;
  let log = '';
  let flood: Flood;
  const encoders: ReturnType<typeof pushTestPattern>[] = [];

  const start = async (env: Record<string, string>): Promise<void> => {
    log = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        log += chunk.toString();
        done();
      },
    });
    server = await startTestServer('sqlite', { env, log: sink });
  };

  /** A real ffmpeg pushing to a new stream, and its arrival: the stream turns `connected`. */
  const encoderGetsIn = async (): Promise<void> => {
    const stream = await createStream(server, alice);
    const encoder = pushTestPattern(ingestUrl(server, stream.stream_key), { seconds: 30, size: '426x240' });
    encoders.push(encoder);
    await eventually(
      `the encoder to connect (ffmpeg said: ${encoder.output()})`,
      async () => ((await statusOf(server, alice, stream.stream_id)).status === 'connected' ? true : undefined),
      15_000,
    );
  };

  beforeAll(() => {
    flood = new Flood();
  });
  afterEach(async () => {
    flood.stop();
    flood = new Flood();
    for (const encoder of encoders.splice(0)) encoder.child.kill('SIGKILL');
    await server?.destroy();
  });
  afterAll(() => flood.stop());

  it('lets a real encoder in while one address trickles on 1000 connections, and closes that address’s few at the deadline', { timeout: 60_000 }, async () => {
    await start({ RTMP_PUBLISH_TIMEOUT_SECONDS: '3' });
    const port = server.app.config.rtmpPort;
    const opened = Date.now();
    await flood.open(port, 1000, ['127.0.0.2']);
    await encoderGetsIn();
    // RATE_LIMIT_RTMP_PER_ADDRESS (4 by default): the rest were refused at accept.
    expect(flood.admitted).toBeLessThanOrEqual(4);
    expect(log).toContain('RATE_LIMIT_RTMP_PER_ADDRESS');

    // Pinging every second does not keep them: they are closed at the publish deadline.
    await eventually('the flood to be closed', async () => (flood.live.size === 0 ? true : undefined), 10_000);
    expect(Date.now() - opened).toBeLessThan(3000 + 5000);
    expect(log).toContain('no publish accepted within 3 s of connecting');
  });

  it('lets a real encoder in while 250 addresses hold all 1000 connections, by closing the oldest one not publishing', { timeout: 60_000 }, async () => {
    // A deadline far off, so that only the global limit's eviction can make room.
    await start({ RTMP_PUBLISH_TIMEOUT_SECONDS: '120' });
    await flood.open(server.app.config.rtmpPort, 1000, addresses(250));
    expect(flood.admitted).toBe(1000);

    await encoderGetsIn();
    expect(flood.live.size).toBeGreaterThanOrEqual(990);
    expect(log).toContain('rtmp connection limit reached');
  });
});
