import WebSocket from 'ws';

export type Message = unknown[];

/** A raw WebSocket client that keeps every message (but the NIP-42 challenge, kept apart) and can wait for one. */
export class RawClient {
  readonly messages: Message[] = [];
  /** The relay's NIP-42 challenge, sent on connect. */
  challenge: string | undefined;
  closeCode: number | undefined;
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as Message;
      if (message[0] === 'AUTH' && typeof message[1] === 'string') this.challenge = message[1];
      else this.messages.push(message);
    });
    socket.on('close', (code) => (this.closeCode = code));
  }

  static open(url: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      const client = new RawClient(socket);
      socket.once('open', () => resolve(client));
      socket.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Takes the first message that matches out of those received, waiting for it if need be. */
  async next(match: (message: Message) => boolean, timeoutMs = 5000): Promise<Message> {
    await this.until((messages) => messages.some(match), timeoutMs);
    return this.messages.splice(this.messages.findIndex(match), 1)[0] as Message;
  }

  /** Waits until `check` holds over the messages received so far (taking none). */
  async until(check: (messages: readonly Message[]) => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check(this.messages)) {
      if (Date.now() > deadline) throw new Error(`no matching message; got ${JSON.stringify(this.messages).slice(0, 500)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
