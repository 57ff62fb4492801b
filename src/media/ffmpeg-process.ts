import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';

export interface FfmpegExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last lines ffmpeg wrote to stderr, or why it could not start. */
  readonly reason: string;
}

const STDERR_LINES = 12;

/**
 * One ffmpeg child: its input piped in, its complaints kept, and a stop that lets it
 * finish the segment and playlists it is writing before it is killed.
 *
 *   const ffmpeg = new FfmpegProcess('ffmpeg', args, flvInput, { outputs: 2 });   // ffmpeg.outputs: pipe:3, pipe:4
 *   const exit = await ffmpeg.exited;   // { code, signal, reason }
 *   await ffmpeg.stop();
 */
export class FfmpegProcess {
  readonly exited: Promise<FfmpegExit>;
  /** The pipes ffmpeg writes its `pipe:3`, `pipe:4` … outputs to. */
  readonly outputs: readonly Readable[];
  private readonly child: ChildProcess;
  private readonly stderr: string[] = [];
  private done = false;

  constructor(ffmpegPath: string, args: readonly string[], input?: Readable, { outputs = 0, cwd }: { outputs?: number; cwd?: string } = {}) {
    this.child = spawn(ffmpegPath, args, { ...(cwd !== undefined && { cwd }), stdio: ['pipe', 'ignore', 'pipe', ...Array.from({ length: outputs }, () => 'pipe' as const)] });
    this.outputs = this.child.stdio.slice(3).filter((pipe): pipe is Readable => pipe !== null && pipe !== undefined && 'read' in pipe);
    this.exited = new Promise((resolve) => {
      this.child.once('error', (error) => {
        this.done = true;
        resolve({ code: null, signal: null, reason: `could not start ${ffmpegPath}: ${error.message}` });
      });
      this.child.once('exit', (code, signal) => {
        this.done = true;
        resolve({ code, signal, reason: this.stderr.join('\n') || `ffmpeg exited with ${signal ?? `code ${code}`}` });
      });
    });
    this.child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        this.stderr.push(line.trim());
        if (this.stderr.length > STDERR_LINES) this.stderr.shift();
      }
    });
    const stdin = this.child.stdin;
    // ffmpeg closing its stdin early (it died) must not become an unhandled error here.
    stdin?.on('error', () => undefined);
    if (input && stdin) {
      input.on('error', () => stdin.end());
      input.pipe(stdin);
    } else {
      stdin?.end();
    }
  }

  /** SIGINT lets ffmpeg write its trailers; a child that ignores it is killed after `graceMs`. */
  async stop(graceMs = 5000): Promise<FfmpegExit> {
    if (!this.done) {
      this.child.kill('SIGINT');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      timer.unref();
      const exit = await this.exited;
      clearTimeout(timer);
      return exit;
    }
    return this.exited;
  }
}
