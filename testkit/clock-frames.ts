import { spawn, spawnSync } from 'node:child_process';
import type { PublisherProcess } from './publishers.js';

/**
 * Frames with a clock drawn into them, for measuring glass-to-glass latency: each frame carries,
 * as a barcode of big black and white blocks that survive x264 at 1 Mbit/s and a downscale, the
 * `Date.now()` (ms) at the moment it was handed to the encoder. testkit/clock-reader.ts reads it
 * back from a <video> in Chromium on the same machine.
 *
 *   const encoder = pushClockFrames(`rtmp://127.0.0.1:${port}/live/${key}`, { seconds: 90 });
 *   writeClockVideo('/tmp/clock.mp4', { frames: 90, startMs: 1_700_000_000_000 });
 */
export const CLOCK_FRAME = { width: 640, height: 360, fps: 30 } as const;

/**
 * The barcode: 4 rows of 16 blocks of 20×20 px from (20, 20): 8 start bits, 48 bits of the time
 * (most significant first), 8 bits of CRC-8. The reader samples each block's centre as a fraction
 * of the picture, so any rendition of the ladder reads the same.
 */
export const CLOCK_CODE = { left: 20, top: 20, block: 20, columns: 16, rows: 4, start: 0b10110010, timeBits: 48 } as const;

const GREY = 128;
const WHITE = 235;
const BLACK = 16;

/** CRC-8 (polynomial 0x07) of the time's six bytes: a misread block makes another time, the CRC refuses it. */
export function crc8(bytes: readonly number[]): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

/** The 64 bits drawn for `ms`, in block order. */
export function clockBits(ms: number): number[] {
  const bytes = Array.from({ length: 6 }, (_, index) => Math.floor(ms / 2 ** (8 * (5 - index))) % 256);
  const bits = (value: number, count: number) => Array.from({ length: count }, (_, index) => (value >> (count - 1 - index)) & 1);
  return [...bits(CLOCK_CODE.start, 8), ...bytes.flatMap((byte) => bits(byte, 8)), ...bits(crc8(bytes), 8)];
}

const { width, height } = CLOCK_FRAME;
const LUMA = width * height;
/** A grey yuv420p picture (neutral chroma) the blocks are drawn over. */
const BLANK = Buffer.concat([Buffer.alloc(LUMA, GREY), Buffer.alloc(LUMA / 2, 128)]);

/** One raw yuv420p frame showing `ms`. */
export function drawClockFrame(ms: number): Buffer {
  const frame = Buffer.from(BLANK);
  const { left, top, block, columns } = CLOCK_CODE;
  clockBits(ms).forEach((bit, index) => {
    const x = left + (index % columns) * block;
    const y = top + Math.floor(index / columns) * block;
    for (let row = y; row < y + block; row += 1) frame.fill(bit ? WHITE : BLACK, row * width + x, row * width + x + block);
  });
  return frame;
}

const rawInput = ['-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', `${width}x${height}`, '-r', String(CLOCK_FRAME.fps), '-i', 'pipe:0'];
const x264 = ['-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-g', '60', '-bf', '0', '-b:v', '1000k', '-maxrate', '1000k', '-bufsize', '1000k', '-pix_fmt', 'yuv420p'];

/**
 * Encodes `frames` clock frames to an MP4, frame i showing `startMs + round(i × 1000 / fps)`:
 * the reader's own check, with no stream in between.
 */
export function writeClockVideo(file: string, { frames, startMs }: { frames: number; startMs: number }): void {
  const input = Buffer.concat(Array.from({ length: frames }, (_, index) => drawClockFrame(startMs + Math.round((index * 1000) / CLOCK_FRAME.fps))));
  const result = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...rawInput, ...x264, '-movflags', '+faststart', file], { input, maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`ffmpeg could not write ${file}: ${result.stderr.toString().slice(-500)}`);
}

/**
 * An encoder pushing clock frames over RTMP in real time for `seconds` (with a 440 Hz tone, as a
 * camera and microphone would): each frame is drawn with the clock at the moment it is written to
 * ffmpeg, on a 30 fps schedule; a late frame is written at once rather than skipped, so the
 * stream's media time keeps pace with the wall clock. Kill `child` to stop early.
 */
export function pushClockFrames(url: string, { seconds }: { seconds: number }): PublisherProcess {
  const child = spawn(
    'ffmpeg',
    [
      '-hide_banner', '-nostdin', '-loglevel', 'error',
      ...rawInput,
      '-re', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
      ...x264, '-c:a', 'aac', '-b:a', '128k', '-shortest', '-f', 'flv', url,
    ],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  let output = '';
  child.stderr.on('data', (data: Buffer) => (output += data.toString()));
  child.stdin.on('error', () => undefined); // ffmpeg closing its input when killed is how a push ends
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', (error) => {
      output += String(error);
      resolve(-1);
    });
    child.once('close', resolve);
  });
  const total = seconds * CLOCK_FRAME.fps;
  const startedAt = Date.now();
  let written = 0;
  let timer: NodeJS.Timeout | undefined;
  const next = (): void => {
    if (child.exitCode !== null || child.signalCode !== null || !child.stdin.writable) return;
    if (written === total) {
      child.stdin.end();
      return;
    }
    child.stdin.write(drawClockFrame(Date.now()));
    written += 1;
    const due = startedAt + (written * 1000) / CLOCK_FRAME.fps;
    timer = setTimeout(next, Math.max(0, due - Date.now()));
  };
  next();
  void exited.then(() => clearTimeout(timer));
  return { child, exited, output: () => output };
}
