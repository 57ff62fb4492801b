import { createClient } from 'redis';
import { EventEmitter } from 'node:events';
import { nostrEventSchema, type NostrEvent } from '../protocol/nostr-event.js';
import type { EventBus } from './event-bus.js';

const CHANNEL = 'wavlake-live:relay-events';

/**
 * The event bus across processes: every node publishes the events it accepted to one Redis
 * channel and delivers what arrives on it, its own included, to its local subscribers.
 *
 *   const bus = await RedisEventBus.connect('redis://127.0.0.1:6379', logger);
 *   startRelayService({ ..., bus });
 */
export class RedisEventBus implements EventBus {
  private readonly emitter = new EventEmitter<{ event: [NostrEvent] }>();

  private constructor(
    private readonly publisher: ReturnType<typeof createClient>,
    private readonly subscriber: ReturnType<typeof createClient>,
  ) {}

  static async connect(url: string, logger: { warn(object: object, message: string): void }): Promise<RedisEventBus> {
    const publisher = createClient({ url });
    const subscriber = publisher.duplicate();
    for (const client of [publisher, subscriber]) {
      client.on('error', (error: unknown) => logger.warn({ err: error }, 'Redis connection error; retrying'));
      await client.connect();
    }
    const bus = new RedisEventBus(publisher, subscriber);
    await subscriber.subscribe(CHANNEL, (message) => {
      // Another process wrote this: parse, don't trust.
      let json: unknown;
      try {
        json = JSON.parse(message);
      } catch {
        return;
      }
      const event = nostrEventSchema.safeParse(json);
      if (event.success) bus.emitter.emit('event', event.data);
    });
    return bus;
  }

  async publish(event: NostrEvent): Promise<void> {
    await this.publisher.publish(CHANNEL, JSON.stringify(event));
  }

  onEvent(listener: (event: NostrEvent) => void): void {
    this.emitter.on('event', listener);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
    await this.subscriber.quit();
    await this.publisher.quit();
  }
}
