import type { AbstractSimplePool } from 'nostr-tools/abstract-pool';
import type { EventTemplate, VerifiedEvent } from 'nostr-tools/pure';
import type { Logger } from 'pino';
import { StreamError } from '../streams/errors.js';
import type { OpenedSigner, StreamerSigning } from '../streams/stream-service.js';
import type { Stream } from '../streams/stream.js';
import { eventAuthor } from './event-author.js';
import { BunkerClient, BunkerRefused, SignerUnreachable } from './bunker-client.js';
import type { SignerRepository } from './signer-repository.js';

export type SignerStatus = 'ok' | 'unreachable';

export interface StreamSignersOptions {
  readonly repository: SignerRepository;
  readonly servicePubkey: string;
  readonly serviceSign: (template: EventTemplate) => VerifiedEvent;
  readonly pool: AbstractSimplePool;
  /** How long one request to a bunker may take (connect at create, each signature). */
  readonly timeoutMs: number;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
}

/**
 * Who signs each stream's 30311: the service key, or the streamer's bunker through the
 * stream's NIP-46 session (opened at create, resumed from the database after a restart).
 * Each stream has its own session, so a slow bunker only ever delays its own stream.
 *
 *   const signers = new StreamSigners(options);
 *   await signers.load();                    // the streamer-signed streams' authors, for the relay
 *   const event = await signers.sign(stream, template);
 *   signers.authorOf(streamId)               // the streamer for a streamer-signed stream, else undefined
 */
export class StreamSigners implements StreamerSigning {
  private readonly clients = new Map<string, BunkerClient>();
  private readonly statuses = new Map<string, SignerStatus>();
  /** Streamer-signed streams' authors; a stream not here is signed by the service. */
  private readonly authors = new Map<string, string>();
  private refresh: NodeJS.Timeout | undefined;

  constructor(private readonly options: StreamSignersOptions) {}

  async load(): Promise<void> {
    for (const [streamId, pubkey] of await this.options.repository.authors()) this.authors.set(streamId, pubkey);
  }

  /**
   * Nodes sharing one database learn each other's streamer-signed streams this often: a stream
   * made on another node is otherwise not "ours" here, and its chat would escape its rules.
   */
  refreshEvery(intervalMs: number): void {
    this.refresh = setInterval(() => {
      this.load().catch((error: unknown) => this.options.logger.warn({ err: error }, 'reading the streamer-signed streams failed; retrying'));
    }, intervalMs);
    this.refresh.unref();
  }

  authorOf(streamId: string): string | undefined {
    return this.authors.get(streamId);
  }

  /** The 30311's author: its coordinate is `30311:<this>:<stream id>`. */
  eventAuthor(stream: Pick<Stream, 'signer' | 'pubkey'>): string {
    return eventAuthor(stream, this.options.servicePubkey);
  }

  /** null for a service-signed stream; else how the bunker answered last. */
  status(stream: Pick<Stream, 'id' | 'signer'>): SignerStatus | null {
    return stream.signer === 'streamer' ? (this.statuses.get(stream.id) ?? 'ok') : null;
  }

  async open(streamId: string, pubkey: string, bunker: string): Promise<OpenedSigner> {
    const { client, session } = await BunkerClient.connect(bunker, this.options.pool, this.options.timeoutMs).catch((error: unknown) => {
      throw refusal(error);
    });
    const signerPubkey = await client.publicKey().catch((error: unknown) => {
      client.close();
      throw refusal(error);
    });
    if (signerPubkey !== pubkey) {
      client.close();
      throw new StreamError(
        'invalid',
        'signer_mismatch',
        `This bunker signs for ${signerPubkey}, not for you (${pubkey}); connect the bunker that holds the key you signed in with.`,
      );
    }
    return {
      keep: async () => {
        await this.options.repository.save(streamId, session);
        this.clients.set(streamId, client);
        this.authors.set(streamId, pubkey);
      },
      discard: () => client.close(),
    };
  }

  /** Signs with the stream's signer; a bunker that fails throws SignerUnreachable or BunkerRefused. */
  async sign(stream: Pick<Stream, 'id' | 'signer'>, template: EventTemplate): Promise<VerifiedEvent> {
    if (stream.signer === 'service') return this.options.serviceSign(template);
    const client = await this.client(stream.id);
    try {
      const event = await client.sign(template);
      if (this.statuses.get(stream.id) === 'unreachable') this.options.logger.info({ streamId: stream.id }, "the streamer's bunker answers again");
      this.statuses.set(stream.id, 'ok');
      return event;
    } catch (error) {
      if (error instanceof SignerUnreachable || error instanceof BunkerRefused) this.statuses.set(stream.id, 'unreachable');
      throw error;
    }
  }

  holdTwin(streamId: string, twin: VerifiedEvent): Promise<void> {
    return this.options.repository.holdTwin(streamId, twin);
  }

  heldTwin(streamId: string): Promise<VerifiedEvent | undefined> {
    return this.options.repository.heldTwin(streamId);
  }

  /** The stream needs its bunker no more (it has ended for good); its last status stays to be shown. */
  release(streamId: string): void {
    this.clients.get(streamId)?.close();
    this.clients.delete(streamId);
  }

  async close(): Promise<void> {
    clearInterval(this.refresh);
    for (const streamId of [...this.clients.keys()]) this.release(streamId);
    this.options.pool.destroy();
  }

  private async client(streamId: string): Promise<BunkerClient> {
    const open = this.clients.get(streamId);
    if (open) return open;
    const session = await this.options.repository.session(streamId);
    if (!session) throw new BunkerRefused(`stream ${streamId} is streamer-signed but has no bunker session stored`);
    const client = BunkerClient.resume(session, this.options.pool, this.options.timeoutMs);
    this.clients.set(streamId, client);
    return client;
  }
}

function refusal(error: unknown): StreamError {
  if (error instanceof SignerUnreachable) {
    return new StreamError(
      'invalid',
      'signer_unreachable',
      `Your bunker did not answer (${error.message}); check that it is running and online on the relays in the bunker:// URI, approve this service there, then try again.`,
    );
  }
  if (error instanceof TypeError) return new StreamError('invalid', 'invalid_request', `Invalid stream settings: bunker: ${error.message}.`);
  const reason = error instanceof Error ? error.message : String(error);
  return new StreamError('invalid', 'signer_refused', `Your bunker refused this service (${reason}); allow it to sign kind 30311 events, then try again.`);
}
