import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Where `npm run build` puts the web app: `dist/web`, beside the compiled server. */
export const WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');

/** Paths that belong to the service, never to the web app's client-side routes. */
const SERVICE_PATHS = /^\/(api|hls|vod|metrics|healthz)(\/|$)/;

/**
 * The web app on the same port as everything else: built assets (long-cached, they carry
 * a content hash) and `index.html` for every client-side route, so a reload lands on the
 * same page. Without a build, pages answer with how to make one.
 *
 *   const web = await webAppRoutes(app);
 *   web.sendIndex(reply);
 */
export async function webAppRoutes(app: FastifyInstance): Promise<{ sendIndex(reply: FastifyReply): FastifyReply }> {
  const built = existsSync(path.join(WEB_ROOT, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root: path.join(WEB_ROOT, 'assets'),
      prefix: '/assets/',
      wildcard: true,
      index: false,
      decorateReply: true,
      // Vite names every asset after its content: it never changes under the same name.
      immutable: true,
      maxAge: '365d',
    });
  }
  const sendIndex = (reply: FastifyReply) => {
    if (!built) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The web app is not built: run `npm run build` (npm start does it for you).\n');
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html', WEB_ROOT);
  };
  return { sendIndex };
}

/** A browser asking for a page (not an API client, not a player fetching media). */
export function wantsPage(request: FastifyRequest): boolean {
  const pathname = request.url.split('?')[0] ?? '/';
  return request.method === 'GET' && !SERVICE_PATHS.test(pathname) && (request.headers.accept ?? '').includes('text/html');
}
