import { createServer, type Socket } from 'node:net';
import { WebSocketServer } from 'ws';

export interface FakeRelayServer {
  readonly url: string;
  close(): Promise<void>;
}

/** A TCP server on a free loopback port that does `onConnection` to every socket. */
export async function tcpRelay(onConnection: (socket: Socket) => void): Promise<FakeRelayServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return {
    url: `ws://127.0.0.1:${address.port}/`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Accepts TCP and never says a word. */
export const silentRelay = () => tcpRelay(() => undefined);

/** Answers the upgrade request with bytes that are not HTTP. */
export const garbageRelay = () => tcpRelay((socket) => socket.once('data', () => socket.end('\x00\x01garbage\r\n\r\n')));

/** Starts a 101 answer and drops the connection halfway through its headers. */
export const hangingUpRelay = () =>
  tcpRelay((socket) =>
    socket.once('data', () => {
      socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n');
      socket.destroy();
    }),
  );

export interface ScriptedRelayServer extends FakeRelayServer {
  /** Every text message the relay got, in order. */
  readonly received: string[];
}

/** A WebSocket server that answers each text message with what `answer` gives (nothing: no answer). */
export async function scriptedRelay(
  answer: (message: string) => string | Buffer | undefined = () => undefined,
): Promise<ScriptedRelayServer> {
  const received: string[] = [];
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  server.on('connection', (socket) => {
    socket.on('error', () => undefined);
    socket.on('message', (data) => {
      received.push(data.toString());
      const reply = answer(data.toString());
      if (reply !== undefined) socket.send(reply);
    });
  });
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return {
    url: `ws://127.0.0.1:${address.port}/`,
    received,
    close: () =>
      new Promise((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}
