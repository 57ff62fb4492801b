import { connect, type Socket } from 'node:net';

export interface RawAnswer {
  /** Everything the server sent, as text. */
  readonly text: string;
  /** The status of the first response line, or undefined when nothing came back. */
  readonly status: number | undefined;
  /** Whether the server closed the connection before `waitMs` ran out. */
  readonly closed: boolean;
  /** Milliseconds from connecting to the server closing (or to giving up). */
  readonly elapsedMs: number;
}

/**
 * Bytes written to the server exactly as given (malformed upgrades, trickled bodies, forged
 * Host headers), and what came back until the server closed the connection or `waitMs` passed.
 *
 *   const answer = await rawExchange(server.url, 'GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n');
 *   expect(answer.status).toBe(400);
 */
export function rawExchange(
  url: string,
  request: string | ((socket: Socket) => void),
  { waitMs = 5000 }: { waitMs?: number } = {},
): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let closed = false;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      resolve({ text, status: status === undefined ? undefined : Number(status), closed, elapsedMs: Date.now() - started });
      socket.destroy();
    };
    const timer = setTimeout(finish, waitMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.once('connect', () => (typeof request === 'string' ? socket.write(request) : request(socket)));
  });
}
