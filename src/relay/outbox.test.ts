import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { Outbox } from './outbox.js';

/** A WebSocket server whose one connection's frames go through an Outbox, and a client of it. */
async function pair(): Promise<{ server: Server; client: WebSocket; outbox: Outbox; writes: string[] }> {
  const wss = new WebSocketServer({ noServer: true });
  // What reaches the server's socket, in order: writes, and whether it was corked around them.
  const writes: string[] = [];
  let accepted: (value: Outbox) => void = () => undefined;
  const outboxReady = new Promise<Outbox>((resolve) => (accepted = resolve));
  const server = createServer();
  server.on('upgrade', (request, socket: Duplex, head) =>
    wss.handleUpgrade(request, socket, head, (webSocket) => {
      const write = socket.write.bind(socket) as (chunk: unknown, ...rest: unknown[]) => boolean;
      socket.write = ((chunk: unknown, ...rest: unknown[]) => {
        writes.push(socket.writableCorked > 0 ? 'corked' : 'write');
        return write(chunk, ...rest);
      }) as typeof socket.write;
      const transport = {
        cork: () => (writes.push('cork'), socket.cork()),
        uncork: () => (writes.push('uncork'), socket.uncork()),
      };
      accepted(new Outbox(webSocket, transport));
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new WebSocket(`ws://127.0.0.1:${port}/`);
  await new Promise((resolve) => client.once('open', resolve));
  return { server, client, outbox: await outboxReady, writes };
}

describe('Outbox', () => {
  let close: () => void = () => undefined;
  afterEach(() => close());

  it('sends every frame queued in one turn, in order, as one write', async () => {
    const { server, client, outbox, writes } = await pair();
    close = () => {
      client.terminate();
      server.close();
    };
    const frames: string[] = [];
    const all = new Promise<void>((resolve) =>
      client.on('message', (data) => {
        frames.push(data.toString());
        if (frames.length === 200) resolve();
      }),
    );
    for (let i = 0; i < 200; i += 1) outbox.push(`["EVENT","s",{"n":${i}}]`);
    expect(outbox.backlog).toBeGreaterThan(0);
    await all;
    expect(frames).toEqual(Array.from({ length: 200 }, (_, i) => `["EVENT","s",{"n":${i}}]`));
    // One cork around all 200 frames (each a header and a payload write): one system call on uncork.
    expect(writes[0]).toBe('cork');
    expect(writes.at(-1)).toBe('uncork');
    expect(writes.filter((write) => write === 'cork')).toHaveLength(1);
    expect(writes.slice(1, -1).every((write) => write === 'corked')).toBe(true);
    expect(outbox.backlog).toBe(0);
  });

  it('drops what is queued when cleared, and sends nothing once the socket is closed', async () => {
    const { server, client, outbox } = await pair();
    close = () => server.close();
    const received: string[] = [];
    client.on('message', (data) => received.push(data.toString()));
    outbox.push('["NOTICE","dropped"]');
    outbox.clear();
    outbox.push('["NOTICE","kept"]');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received).toEqual(['["NOTICE","kept"]']);
    client.close();
    await new Promise((resolve) => client.once('close', resolve));
    outbox.push('["NOTICE","after close"]');
    expect(outbox.backlog).toBe(0);
  });
});
