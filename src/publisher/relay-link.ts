import type { VerifiedEvent } from 'nostr-tools/pure';
import WebSocket, { type RawData } from 'ws';
import { z } from 'zod';

/** What the outbox needs of a relay connection. */
export interface RelayLink {
  readonly connected: boolean;
  /** Resolves on `OK true`; rejects with the relay's reason on `OK false`, or on a timeout or lost connection. */
  publish(event: VerifiedEvent): Promise<string>;
  close(): void;
}

/** We only ever read OK and NOTICE lines: anything longer is a misbehaving relay. */
const MAX_MESSAGE_BYTES = 64 * 1024;

/** `["OK", <event id>, <accepted>, <message>]` (NIP-01); older relays leave the message out. */
const okMessage = z.tuple([z.literal('OK'), z.string(), z.boolean()], z.unknown());

interface Waiter {
  readonly resolve: (message: string) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * A publish-only NIP-01 connection to an external relay over a `ws` socket this module owns
 * from start to end. Its 'error' listener is attached before anything can go wrong and is
 * never removed (an 'error' without a listener takes the whole process down, which is how a
 * silent relay used to kill the service); opening has one deadline, however slowly the relay
 * trickles its answer; every failure ends as a rejected promise of the caller's.
 *
 *   const link = await openRelayLink('wss://relay.example', 10_000, () => forget(link), shutdown.signal);
 *   await link.publish(event);   // the relay's OK message, or throws its reason or a timeout
 */
export function openRelayLink(url: string, timeoutMs: number, onClose: () => void, signal?: AbortSignal): Promise<RelayLink> {
  return new Promise((resolve, reject) => {
    let socket: WebSocket;
    try {
      socket = new WebSocket(url, { maxPayload: MAX_MESSAGE_BYTES });
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    const link = new WsRelayLink(socket, timeoutMs);
    let failure: Error | undefined;
    socket.on('error', (error) => {
      failure ??= error;
    });
    const deadline = setTimeout(() => {
      failure = new Error(`no WebSocket handshake within ${timeoutMs} ms`);
      socket.terminate();
    }, timeoutMs);
    // Shutting down ends a connection at once, even one still waiting for a silent relay.
    const abort = () => {
      failure ??= new Error('relay connection closed by us');
      link.close();
    };
    signal?.addEventListener('abort', abort, { once: true });
    if (signal?.aborted) abort();
    socket.once('open', () => {
      clearTimeout(deadline);
      resolve(link);
    });
    // ws always ends with 'close', after 'error' when there was one.
    socket.once('close', (code) => {
      clearTimeout(deadline);
      signal?.removeEventListener('abort', abort);
      const reason = failure?.message ?? `relay connection closed (code ${code})`;
      link.failAll(reason);
      reject(failure ?? new Error(reason));
      onClose();
    });
  });
}

class WsRelayLink implements RelayLink {
  private readonly waiting = new Map<string, Waiter>();

  constructor(
    private readonly socket: WebSocket,
    private readonly timeoutMs: number,
  ) {
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.received(data);
    });
  }

  get connected(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  publish(event: VerifiedEvent): Promise<string> {
    if (!this.connected) return Promise.reject(new Error('relay connection closed'));
    return new Promise((resolve, reject) => {
      // The outbox sends one event at a time; an id sent again replaces the older wait.
      this.settle(event.id, new Error('the same event was sent again'));
      const timer = setTimeout(() => this.settle(event.id, new Error(`no OK within ${this.timeoutMs} ms`)), this.timeoutMs);
      this.waiting.set(event.id, { resolve, reject, timer });
      this.socket.send(JSON.stringify(['EVENT', event]), (error) => {
        if (error) this.settle(event.id, error);
      });
    });
  }

  close(): void {
    // A polite close waits for the relay's close frame (ws gives up after 30 s); one still opening has nothing to wait for.
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close();
    else this.socket.terminate();
  }

  failAll(reason: string): void {
    for (const id of [...this.waiting.keys()]) this.settle(id, new Error(reason));
  }

  private received(data: RawData): void {
    let message: unknown;
    try {
      message = JSON.parse(data.toString());
    } catch {
      return; // not NIP-01: nothing we wait for
    }
    const ok = okMessage.safeParse(message);
    if (!ok.success) return;
    const [, id, accepted, reason] = ok.data;
    const text = typeof reason === 'string' ? reason : '';
    if (accepted) this.settle(id, undefined, text);
    else this.settle(id, new Error(text || 'error: the relay refused the event without a reason'));
  }

  private settle(id: string, error: Error | undefined, message = ''): void {
    const waiter = this.waiting.get(id);
    if (!waiter) return;
    this.waiting.delete(id);
    clearTimeout(waiter.timer);
    if (error) waiter.reject(error);
    else waiter.resolve(message);
  }
}
