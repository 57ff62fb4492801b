import { EventEmitter } from 'node:events';
import { nostrEventSchema, type NostrEvent } from '../protocol/nostr-event.js';
import { parseMessage, RedisLink } from '../cluster/redis-link.js';
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

  private constructor(private readonly link: RedisLink) {}

  static async connect(url: string, logger: { warn(object: object, message: string): void }): Promise<RedisEventBus> {
    const bus = new RedisEventBus(await RedisLink.connect(url, logger, 'relay events'));
    await bus.link.subscriber.subscribe(CHANNEL, (message) => {
      const event = parseMessage(nostrEventSchema, message);
      if (event !== undefined) bus.emitter.emit('event', event);
    });
    return bus;
  }

  async publish(event: NostrEvent): Promise<void> {
    await this.link.commands.publish(CHANNEL, JSON.stringify(event));
  }

  onEvent(listener: (event: NostrEvent) => void): void {
    this.emitter.on('event', listener);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
    await this.link.close();
  }
}
