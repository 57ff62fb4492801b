import type { FastifyInstance } from 'fastify';
import { CATEGORIES } from '../../protocol/categories.js';
import { LADDER, QUALITY_CHOICES } from '../../protocol/quality.js';
import { LIMITS } from '../../protocol/stream-settings.js';

export interface ServiceInfo {
  readonly pubkey: string;
  readonly relay: string;
  readonly rtmp_url: string;
  readonly version: string;
  /** The external relays (config RELAYS) that this service's 30311 events are also published to. */
  readonly relays: readonly string[];
}

/** What a client needs to know about this service before it does anything else. */
export function serviceInfoRoutes(app: FastifyInstance, info: ServiceInfo): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/api/v1/info', async () => info);

  app.get('/api/v1/categories', async () => ({
    categories: CATEGORIES,
    quality_choices: QUALITY_CHOICES,
    ladder: LADDER,
    limits: LIMITS,
  }));
}
