import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { amf0Properties, decodeAmf0, encodeAmf0, type Amf0Object, type Amf0Value } from '../src/ingest/rtmp/amf0.js';
import { ChunkReader } from '../src/ingest/rtmp/chunk-reader.js';
import { ChunkWriter } from '../src/ingest/rtmp/chunk-writer.js';
import { MessageType, type RtmpMessage } from '../src/ingest/rtmp/messages.js';

/** A pino logger at debug level whose lines stay in memory, to check what was (not) logged. */
export function captureLogs(): { logger: Logger; text(): string } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), text: () => chunks.join('') };
}

/** The AMF values of a command or data message, or null for other messages. */
export function amfValues(message: RtmpMessage): Amf0Value[] | null {
  if (message.type !== MessageType.CommandAmf0 && message.type !== MessageType.DataAmf0) return null;
  return decodeAmf0(message.payload);
}

/**
 * An RTMP publisher scripted step by step from the test, speaking through our own chunk
 * writer and reader, for what real encoders cannot be made to do on cue.
 *
 *   const publisher = await ScriptedPublisher.open(port);
 *   await publisher.connectApp('live');
 *   const status = await publisher.publish('wlk_live_…');   // { code: 'NetStream.Publish.Start', … }
 */
export class ScriptedPublisher {
  readonly received: RtmpMessage[] = [];
  readonly closed: Promise<void>;
  private readonly writer = new ChunkWriter();
  private readonly reader = new ChunkReader({ maxMessageSize: 1 << 24, onMessage: (message) => this.onMessage(message) });
  private waiters: (() => void)[] = [];
  private transaction = 1;
  private readonly raw: Buffer[] = [];

  private constructor(readonly socket: Socket) {
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined); // a reset by the server is an outcome tests look at, not a failure
  }

  /** Connects (from `localAddress`, e.g. another 127.x address, when given) and completes the handshake. */
  static async open(port: number, localAddress?: string): Promise<ScriptedPublisher> {
    const socket = connect({ port, host: '127.0.0.1', localAddress });
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const publisher = new ScriptedPublisher(socket);
    socket.write(Buffer.concat([Buffer.from([3]), Buffer.alloc(1536, 1)]));
    let handshake = Buffer.alloc(0);
    await new Promise<void>((resolve, reject) => {
      // A server that refuses the connection closes it before answering.
      publisher.closed.then(() => reject(new Error('the server closed the connection during the handshake')), reject);
      const onData = (data: Buffer): void => {
        handshake = Buffer.concat([handshake, data]);
        if (handshake.length < 1 + 2 * 1536) return;
        socket.off('data', onData);
        socket.write(handshake.subarray(1, 1 + 1536)); // C2 echoes S1
        socket.on('data', (more: Buffer) => publisher.receive(more));
        publisher.receive(handshake.subarray(1 + 2 * 1536));
        resolve();
      };
      socket.on('data', onData);
    });
    return publisher;
  }

  send(message: RtmpMessage): void {
    this.socket.write(this.writer.encode(message));
  }

  command(streamId: number, ...values: Amf0Value[]): void {
    this.send({ csid: 3, type: MessageType.CommandAmf0, streamId, timestamp: 0, payload: encodeAmf0(...values) });
  }

  media(type: number, timestamp: number, payload: Buffer): void {
    this.send({ csid: type === MessageType.Audio ? 4 : 6, type, streamId: 1, timestamp, payload });
  }

  /** The first message received (so far or later) that `matches`. */
  async waitFor(matches: (message: RtmpMessage) => boolean, timeoutMs = 5000): Promise<RtmpMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(matches);
      if (found) return found;
      if (Date.now() > deadline) throw new Error('the expected RTMP message did not arrive');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  /** The values of the command named `name` (with `transactionId`, when given). */
  async commandReply(name: string, transactionId?: number): Promise<Amf0Value[]> {
    const isReply = (message: RtmpMessage): boolean => {
      const values = amfValues(message);
      return values?.[0] === name && (transactionId === undefined || values[1] === transactionId);
    };
    return amfValues(await this.waitFor(isReply)) ?? [];
  }

  async connectApp(app = 'live'): Promise<Amf0Object> {
    const id = this.transaction++;
    this.command(0, 'connect', id, { app, type: 'nonprivate', flashVer: 'FMLE/3.0', tcUrl: `rtmp://127.0.0.1/${app}` });
    return amf0Properties((await this.commandReply('_result', id))[3] ?? null) ?? {};
  }

  async createStream(): Promise<number> {
    const id = this.transaction++;
    this.command(0, 'createStream', id, null);
    const streamId = (await this.commandReply('_result', id))[3];
    return typeof streamId === 'number' ? streamId : Number.NaN;
  }

  /** Sends publish and answers the info object of the onStatus that follows. */
  async publish(key: string): Promise<Amf0Object> {
    this.command(1, 'publish', 0, null, key, 'live');
    return amf0Properties((await this.commandReply('onStatus'))[3] ?? null) ?? {};
  }

  /** Every byte received after the handshake, for checking what the chunk reader consumes itself. */
  rawReceived(): Buffer {
    return Buffer.concat(this.raw);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private receive(data: Buffer): void {
    this.raw.push(data);
    this.reader.push(data);
  }

  private onMessage(message: RtmpMessage): void {
    this.received.push(message);
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

export interface PublisherProcess {
  readonly child: ChildProcess;
  /** The exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** stdout and stderr so far, for failure messages and for checking what the encoder was told. */
  output(): string;
}

const running = new Set<ChildProcess>();

function start(command: string, args: string[]): PublisherProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  child.stdout?.on('data', (data: Buffer) => (output += data.toString()));
  child.stderr?.on('data', (data: Buffer) => (output += data.toString()));
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', (error) => {
      output += String(error);
      running.delete(child);
      resolve(-1);
    });
    child.once('close', (code) => {
      running.delete(child);
      resolve(code);
    });
  });
  return { child, exited, output: () => output };
}

/**
 * ffmpeg publishing a test pattern (H.264, a keyframe every 60 frames, 30 fps) with a 440 Hz
 * tone (48 kHz AAC), in real time, as an encoder would.
 *
 *   const encoder = pushTestPattern(`rtmp://127.0.0.1:${port}/live/${key}`, { seconds: 30, size: '640x360' });
 *   encoder.child.kill('SIGKILL');
 */
export function pushTestPattern(url: string, options: { seconds: number; size?: string }): PublisherProcess {
  return start('ffmpeg', [
    '-hide_banner', '-nostdin', '-loglevel', 'error',
    '-re', '-f', 'lavfi', '-i', `testsrc2=size=${options.size ?? '1280x720'}:rate=30`,
    '-re', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', '60', '-b:v', '1500k',
    '-c:a', 'aac', '-b:a', '128k', '-t', String(options.seconds), '-f', 'flv', url,
  ]);
}

/**
 * ffmpeg publishing sound only, as a musician's encoder with no camera would: a 440 Hz tone,
 * AAC-LC at 128 kbit/s (or `codec: 'libmp3lame'`), in real time.
 *
 *   const encoder = pushTone(`rtmp://127.0.0.1:${port}/live/${key}`, { seconds: 30 });
 */
export function pushTone(url: string, options: { seconds: number; sampleRate?: number; codec?: string }): PublisherProcess {
  return start('ffmpeg', [
    '-hide_banner', '-nostdin', '-loglevel', 'error',
    '-re', '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=${options.sampleRate ?? 48_000}`,
    '-c:a', options.codec ?? 'aac', '-b:a', '128k', '-t', String(options.seconds), '-f', 'flv', url,
  ]);
}

/** GStreamer's rtmp2sink publishing 120 frames (4 s) of 640x360 30 fps H.264 and AAC. */
export function publishWithGstreamer(url: string): PublisherProcess {
  const pipeline = [
    'videotestsrc num-buffers=120 ! video/x-raw,format=I420,width=640,height=360,framerate=30/1',
    '! x264enc tune=zerolatency key-int-max=60 ! h264parse ! flvmux name=mux streamable=true',
    `! rtmp2sink location=${url}`,
    // 4 s of 48 kHz audio in GStreamer's default 1024-sample buffers.
    'audiotestsrc num-buffers=188 ! audio/x-raw,rate=48000 ! audioconvert ! voaacenc ! aacparse ! mux.',
  ].join(' ');
  return start('gst-launch-1.0', ['-q', ...pipeline.split(' ')]);
}

/**
 * GStreamer publishing sound only, in real time: pink noise, which fills the spectrum as music
 * does (a pure tone needs so few bits that an AAC encoder's 64 kbit/s carries half that), as
 * AAC-LC (voaacenc, 48 kHz stereo, `kbps`, 128 by default) in an FLV with no video track, over rtmp2sink.
 *
 *   const encoder = pushSoundWithGstreamer(`rtmp://127.0.0.1:${port}/live/${key}`, { seconds: 30 });
 */
export function pushSoundWithGstreamer(url: string, options: { seconds: number; kbps?: number }): PublisherProcess {
  const pipeline = [
    // audiotestsrc's buffers hold 1024 samples.
    `audiotestsrc is-live=true wave=pink-noise num-buffers=${Math.ceil((options.seconds * 48_000) / 1024)} ! audio/x-raw,rate=48000,channels=2`,
    `! audioconvert ! voaacenc bitrate=${(options.kbps ?? 128) * 1000} ! aacparse ! flvmux streamable=true ! rtmp2sink location=${url}`,
  ].join(' ');
  return start('gst-launch-1.0', ['-q', ...pipeline.split(' ')]);
}

/** Kills every publisher process a test started and has not seen exit. */
export function stopPublishers(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

export interface ProbedStream {
  readonly codec_type: string;
  readonly codec_name: string;
  readonly width?: number;
  readonly height?: number;
  readonly sample_rate?: string;
}

/** ffprobe's streams of a media file. */
export function probeStreams(file: string): ProbedStream[] {
  const probe = spawnSync('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', file], { encoding: 'utf8' });
  if (probe.status !== 0) throw new Error(`ffprobe failed: ${probe.stderr}`);
  return (JSON.parse(probe.stdout) as { streams: ProbedStream[] }).streams;
}

/** Whether `command` runs here; the tests say what to install when it does not. */
export function installed(command: string, versionFlag = '-version'): boolean {
  return spawnSync(command, [versionFlag], { stdio: 'ignore' }).status === 0;
}
