import { AbstractSimplePool } from 'nostr-tools/abstract-pool';
import { BunkerSigner, parseBunkerInput } from 'nostr-tools/nip46';
import { generateSecretKey, verifyEvent, type EventTemplate, type VerifiedEvent } from 'nostr-tools/pure';
import { bytesToHex, hexToBytes } from 'nostr-tools/utils';
import WebSocket from 'ws';
import { KIND } from '../protocol/kinds.js';
import type { BunkerSession } from './signer-repository.js';

/** All this service asks a streamer's bunker for: signing their live events, nothing else. */
export const BUNKER_PERMS = `sign_event:${KIND.liveEvent}`;

/** The bunker did not answer in time (or its relays could not be reached). */
export class SignerUnreachable extends Error {
  constructor(what: string, timeoutMs: number) {
    super(`the bunker did not answer ${what} within ${Math.round(timeoutMs / 100) / 10} s`);
    this.name = 'SignerUnreachable';
  }
}

/** The relays the bunkers are reached through; one pool for every session (Node 20 has no global WebSocket). */
export function bunkerPool(): AbstractSimplePool {
  return new AbstractSimplePool({
    verifyEvent,
    websocketImplementation: WebSocket as unknown as typeof globalThis.WebSocket,
    enableReconnect: true,
    maxWaitForConnection: 3000,
  });
}

/**
 * One NIP-46 session with a streamer's bunker. Every request is bounded by `timeoutMs`: a
 * bunker that never answers costs a timeout, never a hang (nostr-tools waits for ever).
 *
 *   const { client, session } = await BunkerClient.connect(uri, pool, 10_000);
 *   await client.publicKey();   // the streamer's pubkey
 *   await client.sign(template);
 */
export class BunkerClient {
  private constructor(
    private readonly signer: BunkerSigner,
    private readonly timeoutMs: number,
  ) {}

  /** A new session from a `bunker://` URI: a fresh client key, and `connect` with our perms. */
  static async connect(uri: string, pool: AbstractSimplePool, timeoutMs: number): Promise<{ client: BunkerClient; session: BunkerSession }> {
    const pointer = await parseBunkerInput(uri);
    if (!pointer || pointer.relays.length === 0) throw new TypeError('the bunker URI names no relay');
    const secret = generateSecretKey();
    const session: BunkerSession = { clientSecret: bytesToHex(secret), bunkerPubkey: pointer.pubkey, relays: pointer.relays };
    const client = new BunkerClient(BunkerSigner.fromBunker(secret, pointer, { pool }), timeoutMs);
    try {
      const answer = await client.request('connect', [pointer.pubkey, pointer.secret ?? '', BUNKER_PERMS]);
      if (answer !== 'ack' && answer !== pointer.secret) throw new BunkerRefused(`connect was answered "${answer}"`);
      return { client, session };
    } catch (error) {
      client.close();
      throw error;
    }
  }

  /** The session again after a restart: the bunker already knows this client key. */
  static resume(session: BunkerSession, pool: AbstractSimplePool, timeoutMs: number): BunkerClient {
    const pointer = { pubkey: session.bunkerPubkey, relays: [...session.relays], secret: null };
    return new BunkerClient(BunkerSigner.fromBunker(hexToBytes(session.clientSecret), pointer, { pool }), timeoutMs);
  }

  publicKey(): Promise<string> {
    return this.request('get_public_key', []);
  }

  async sign(template: EventTemplate): Promise<VerifiedEvent> {
    const answer = await this.request('sign_event', [JSON.stringify(template)]);
    let event: unknown;
    try {
      event = JSON.parse(answer);
    } catch {
      throw new BunkerRefused(`sign_event was answered "${answer.slice(0, 100)}"`);
    }
    if (!isVerified(event)) throw new BunkerRefused('sign_event was answered with an event whose signature does not verify');
    return event;
  }

  close(): void {
    void this.signer.close();
  }

  private request(method: string, params: string[]): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new SignerUnreachable(method, this.timeoutMs)), this.timeoutMs);
    });
    return Promise.race([
      this.signer.sendRequest(method, params).catch((error: unknown) => {
        // A bunker's error answer is a refusal; failing to reach its relays is being unreachable.
        throw typeof error === 'string' ? new BunkerRefused(`${method} was refused: ${error}`) : new SignerUnreachable(method, this.timeoutMs);
      }),
      timeout,
    ]).finally(() => clearTimeout(timer));
  }
}

/** The bunker answered, but no: a wrong secret, a kind outside its perms. */
export class BunkerRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BunkerRefused';
  }
}

function isVerified(event: unknown): event is VerifiedEvent {
  return typeof event === 'object' && event !== null && verifyEvent(event as VerifiedEvent);
}
