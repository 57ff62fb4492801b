import { EventEmitter } from 'node:events';
import type { NostrEvent } from '../protocol/nostr-event.js';

/**
 * Carries accepted events to every subscriber, in this process or (with Redis) in all
 * of them. The relay publishes here after storing, and delivers what comes back.
 *
 *   bus.onEvent((event) => deliverToSubscriptions(event));
 *   await bus.publish(event);
 */
export interface EventBus {
  publish(event: NostrEvent): Promise<void>;
  onEvent(listener: (event: NostrEvent) => void): void;
  close(): Promise<void>;
}

export class LocalEventBus implements EventBus {
  private readonly emitter = new EventEmitter<{ event: [NostrEvent] }>();

  async publish(event: NostrEvent): Promise<void> {
    this.emitter.emit('event', event);
  }

  onEvent(listener: (event: NostrEvent) => void): void {
    this.emitter.on('event', listener);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}
