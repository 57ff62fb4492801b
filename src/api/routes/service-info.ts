import type { FastifyInstance } from 'fastify';
import { CATEGORIES } from '../../protocol/categories.js';
import { LADDER, QUALITY_CHOICES } from '../../protocol/quality.js';
import { LIMITS } from '../../protocol/stream-settings.js';
import type { CategoriesView, ServiceInfo } from '../../protocol/api-views.js';

/** What a client needs to know about this service before it does anything else. */
export function serviceInfoRoutes(app: FastifyInstance, info: ServiceInfo): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/api/v1/info', async () => info);

  app.get('/api/v1/categories', async (): Promise<CategoriesView> => ({
    categories: CATEGORIES,
    quality_choices: QUALITY_CHOICES,
    ladder: LADDER,
    limits: LIMITS,
  }));
}
