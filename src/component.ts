import type { FastifyInstance } from 'fastify';
import type { UpgradeHandler } from './api/upgrades.js';

/**
 * A part of the service that starts itself (opens what it needs, starts its timers) and
 * says what it serves: HTTP routes on the shared server, WebSocket upgrades on some paths.
 *
 *   const live = await startLive(options);   // { close }
 */
export interface Component {
  routes?(http: FastifyInstance): void;
  /** The handler for an upgrade to `path`, or undefined when the path is not this component's. */
  upgrade?(path: string): UpgradeHandler | undefined;
  close(): void | Promise<void>;
}

/**
 * The started components, in the order they started. Shutdown closes them in reverse: a
 * part closes before whatever it was built on (the ingest before the stream service, the
 * WebSockets before the HTTP server, everything before the database).
 *
 *   const parts = new Components();
 *   const relay = parts.add(await startRelay(options));
 *   parts.upgrade('/');   // relay's handler
 *   await parts.close();
 */
export class Components {
  private readonly started: Component[] = [];

  add<T extends Component>(component: T): T {
    this.started.push(component);
    return component;
  }

  registerRoutes(http: FastifyInstance): void {
    for (const component of this.started) component.routes?.(http);
  }

  readonly upgrade = (path: string): UpgradeHandler | undefined => {
    for (const component of this.started) {
      const handler = component.upgrade?.(path);
      if (handler) return handler;
    }
    return undefined;
  };

  /** Every component is closed even when one fails to; the first failure is thrown after. */
  async close(): Promise<void> {
    let failure: { error: unknown } | undefined;
    for (const component of this.started.reverse()) {
      try {
        await component.close();
      } catch (error) {
        failure ??= { error };
      }
    }
    this.started.length = 0;
    if (failure) throw failure.error;
  }
}
