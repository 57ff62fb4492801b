import type { Logger } from 'pino';
import type { Component } from '../component.js';
import { LocalHolderRegistry, type HolderRegistry } from './holder-registry.js';
import type { ClusterNode } from './node.js';
import { RedisHolderRegistry } from './redis-holder-registry.js';
import { RedisLink } from './redis-link.js';
import { RedisStreamNews } from './redis-stream-news.js';
import { LocalStreamNews, type StreamNews } from './stream-news.js';

/** What the nodes of a cluster share: who holds which stream, and what changes about streams. */
export interface Cluster extends Component {
  readonly holders: HolderRegistry;
  readonly news: StreamNews;
}

/**
 * The cluster this process is part of: with Redis, the nodes that share it; without, just
 * this process (nothing leaves it). The rest of the service does not ask which.
 *
 *   const cluster = parts.add(await joinCluster({ redisUrl: config.redisUrl, node: config.node }, logger));
 *   await cluster.holders.claim(streamId);
 */
export async function joinCluster(options: { readonly redisUrl: string | undefined; readonly node: ClusterNode }, logger: Pick<Logger, 'warn'>): Promise<Cluster> {
  if (options.redisUrl === undefined) {
    const holders = new LocalHolderRegistry(options.node);
    const news = new LocalStreamNews();
    return { holders, news, close: () => holders.close() };
  }
  const link = await RedisLink.connect(options.redisUrl, logger);
  const holders = await RedisHolderRegistry.start(link, options.node, logger);
  const news = await RedisStreamNews.start(link, options.node.id, logger);
  return {
    holders,
    news,
    close: async () => {
      await holders.close();
      await news.close();
      await link.close();
    },
  };
}
