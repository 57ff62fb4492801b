import { EventEmitter } from 'node:events';
import { z } from 'zod';
import type { HolderRegistry } from './holder-registry.js';
import type { ClusterNode } from './node.js';
import { parseMessage, type RedisLink } from './redis-link.js';

const KEY_PREFIX = 'wavlake-live:holder:';
/** Where a claim is announced, so the node that held the stream before lets it go at once. */
const CLAIMS = 'wavlake-live:holder-claims';

/** The record of a node that stopped (or lost Redis) lapses this long after its last refresh. */
export const HOLDER_TTL_MS = 15_000;
const REFRESH_MS = HOLDER_TTL_MS / 3;
/** A lookup is remembered this long: every viewer request on a node that does not hold the stream asks. */
const LOOKUP_TTL_MS = 1000;

const nodeSchema = z.object({ id: z.string().min(1).max(64), url: z.url() });
const claimSchema = z.object({ streamId: z.string().min(1).max(64), node: z.string().min(1).max(64) });

/** Refreshes our record; puts it back if it lapsed (Redis restarted, a refresh was late); 0 when another node's record is there. */
const REFRESH = `
local current = redis.call('GET', KEYS[1])
if current == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if not current then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;
/** Deletes our record, never another node's. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * The holder records in Redis: a key per stream, `wavlake-live:holder:<stream id>`, whose value
 * is the holding node as JSON (`{"id","url"}`) and which lapses 15 s after the node's last
 * refresh (every 5 s while it holds the stream), so a node that dies lets its streams go.
 * A claim overwrites whatever is there (the encoder is here now: that is the fact) and is
 * announced on `wavlake-live:holder-claims`, so the node that held the stream before hears it.
 *
 *   const holders = await RedisHolderRegistry.start(link, config.node, logger);
 *   await holders.claim(streamId);
 *   const holder = await holders.holderOf(streamId);   // { id, url } of any node
 */
export class RedisHolderRegistry implements HolderRegistry {
  private readonly held = new Set<string>();
  private readonly lookups = new Map<string, { readonly at: number; readonly holder: Promise<ClusterNode | undefined> }>();
  private readonly emitter = new EventEmitter<{ lost: [string] }>();
  private readonly record: string;
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private readonly link: RedisLink,
    readonly self: ClusterNode,
    private readonly logger: { warn(object: object, message: string): void },
  ) {
    this.record = JSON.stringify({ id: self.id, url: self.url });
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
    this.timer.unref();
  }

  static async start(link: RedisLink, self: ClusterNode, logger: { warn(object: object, message: string): void }): Promise<RedisHolderRegistry> {
    const registry = new RedisHolderRegistry(link, self, logger);
    await link.subscriber.subscribe(CLAIMS, (message) => registry.heard(message));
    return registry;
  }

  async claim(streamId: string): Promise<void> {
    this.held.add(streamId);
    this.lookups.delete(streamId);
    await this.link.commands.set(key(streamId), this.record, { expiration: { type: 'PX', value: HOLDER_TTL_MS } });
    await this.link.commands.publish(CLAIMS, JSON.stringify({ streamId, node: this.self.id }));
  }

  async release(streamId: string): Promise<void> {
    if (!this.held.delete(streamId)) return;
    this.lookups.delete(streamId);
    await this.link.commands.eval(RELEASE, { keys: [key(streamId)], arguments: [this.record] });
  }

  holds(streamId: string): boolean {
    return this.held.has(streamId);
  }

  holderOf(streamId: string): Promise<ClusterNode | undefined> {
    if (this.held.has(streamId)) return Promise.resolve(this.self);
    const now = Date.now();
    const known = this.lookups.get(streamId);
    if (known && now - known.at < LOOKUP_TTL_MS) return known.holder;
    if (this.lookups.size >= 10_000) this.lookups.clear();
    const holder = this.link.commands.get(key(streamId)).then(parseNode, (error: unknown) => {
      // Not remembered: the next request asks Redis again.
      this.lookups.delete(streamId);
      throw error;
    });
    this.lookups.set(streamId, { at: now, holder });
    return holder;
  }

  onLost(listener: (streamId: string) => void): void {
    this.emitter.on('lost', listener);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.emitter.removeAllListeners();
    await this.link.subscriber.unsubscribe(CLAIMS);
  }

  private heard(message: string): void {
    const claim = parseMessage(claimSchema, message);
    if (claim === undefined || claim.node === this.self.id) return;
    this.lookups.delete(claim.streamId);
    this.lose(claim.streamId);
  }

  private lose(streamId: string): void {
    if (!this.held.delete(streamId)) return;
    this.emitter.emit('lost', streamId);
  }

  private async refresh(): Promise<void> {
    for (const streamId of [...this.held]) {
      try {
        const kept = await this.link.commands.eval(REFRESH, { keys: [key(streamId)], arguments: [this.record, String(HOLDER_TTL_MS)] });
        // Another node's record: its claim announcement did not reach us (we were reconnecting), the record says it.
        if (kept === 0) this.lose(streamId);
      } catch (error) {
        this.logger.warn({ err: error, streamId }, 'refreshing the stream holder record in Redis failed; other nodes stop finding this stream here if it lapses');
      }
    }
  }
}

function key(streamId: string): string {
  return `${KEY_PREFIX}${streamId}`;
}

function parseNode(value: string | null): ClusterNode | undefined {
  return value === null ? undefined : parseMessage(nodeSchema, value);
}
