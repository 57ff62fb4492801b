import { createClient } from 'redis';

export type RedisClient = ReturnType<typeof createClient>;

/**
 * The two Redis connections the cluster's shared state needs: one for commands and
 * publishing, one held in subscriber mode (Redis allows no other command on it).
 *
 *   const link = await RedisLink.connect('redis://127.0.0.1:6379', logger);
 *   await link.subscriber.subscribe('channel', (message) => …);
 *   await link.close();
 */
export class RedisLink {
  private constructor(
    readonly commands: RedisClient,
    readonly subscriber: RedisClient,
  ) {}

  static async connect(url: string, logger: { warn(object: object, message: string): void }): Promise<RedisLink> {
    const commands = createClient({ url });
    const subscriber = commands.duplicate();
    for (const client of [commands, subscriber]) {
      client.on('error', (error: unknown) => logger.warn({ err: error }, 'Redis connection error (cluster state); retrying'));
      await client.connect();
    }
    return new RedisLink(commands, subscriber);
  }

  async close(): Promise<void> {
    await this.subscriber.quit();
    await this.commands.quit();
  }
}
