import { createClient } from 'redis';
import type { z } from 'zod';

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

  /** `purpose` names the link in its log lines (which of a node's Redis links dropped). */
  static async connect(url: string, logger: { warn(object: object, message: string): void }, purpose = 'cluster state'): Promise<RedisLink> {
    const commands = createClient({ url });
    const subscriber = commands.duplicate();
    for (const client of [commands, subscriber]) {
      client.on('error', (error: unknown) => logger.warn({ err: error }, `Redis connection error (${purpose}); retrying`));
      await client.connect();
    }
    return new RedisLink(commands, subscriber);
  }

  async close(): Promise<void> {
    await this.subscriber.quit();
    await this.commands.quit();
  }
}

/** A message another process published: parse, don't trust. Undefined when it is not JSON of that shape. */
export function parseMessage<T>(schema: z.ZodType<T>, message: string): T | undefined {
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
