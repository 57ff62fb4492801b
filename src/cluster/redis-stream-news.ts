import { EventEmitter } from 'node:events';
import { z } from 'zod';
import { STREAM_STATUSES } from '../protocol/stream-status.js';
import { ingestReadingSchema } from './ingest-reading-schema.js';
import { parseMessage, type RedisLink } from './redis-link.js';
import type { StreamNews, StreamNewsItem } from './stream-news.js';

const CHANNEL = 'wavlake-live:stream-news';

const streamId = z.string().min(1).max(64);
const messageSchema = z.object({
  node: z.string().min(1).max(64),
  item: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('status'), streamId, from: z.enum(STREAM_STATUSES) }),
    z.object({ kind: z.enum(['paused', 'updated', 'track', 'viewers']), streamId }),
    z.object({ kind: z.literal('health'), streamId, reading: ingestReadingSchema }),
  ]),
});

/**
 * Stream news through one Redis channel, `wavlake-live:stream-news`: each message is
 * `{"node": <NODE_ID>, "item": {...}}`; a node skips its own.
 *
 *   const news = await RedisStreamNews.start(link, config.node.id, logger);
 */
export class RedisStreamNews implements StreamNews {
  private readonly emitter = new EventEmitter<{ item: [StreamNewsItem] }>();

  private constructor(
    private readonly link: RedisLink,
    private readonly nodeId: string,
    private readonly logger: { warn(object: object, message: string): void },
  ) {}

  static async start(link: RedisLink, nodeId: string, logger: { warn(object: object, message: string): void }): Promise<RedisStreamNews> {
    const news = new RedisStreamNews(link, nodeId, logger);
    await link.subscriber.subscribe(CHANNEL, (message) => news.heard(message));
    return news;
  }

  tell(item: StreamNewsItem): void {
    this.link.commands.publish(CHANNEL, JSON.stringify({ node: this.nodeId, item })).catch((error: unknown) => {
      this.logger.warn({ err: error, streamId: item.streamId, kind: item.kind }, 'telling the other nodes about a stream change failed; their feeds catch up on the next change');
    });
  }

  onNews(listener: (item: StreamNewsItem) => void): void {
    this.emitter.on('item', listener);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
    await this.link.subscriber.unsubscribe(CHANNEL);
  }

  private heard(message: string): void {
    const parsed = parseMessage(messageSchema, message);
    if (parsed !== undefined && parsed.node !== this.nodeId) this.emitter.emit('item', parsed.item);
  }
}
