import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { WEB_ROOT } from '../web-app.js';
import { renderPreview } from './meta-tags.js';
import { genericPreview, previewForPath, type PreviewSources } from './stream-preview.js';

/**
 * The stream pages whose links people paste: `/s/<id>` (ours by id) and `/stream/<naddr>`
 * (any NIP-53 stream). Wildcards, not `:param`s: an naddr is longer than the router lets a
 * parameter be.
 */
export const PREVIEWED_PAGES = ['/s/*', '/stream/*'] as const;

/**
 * Serves the web app's page for a stream's link with its preview tags already in the HTML,
 * whatever the client accepts: crawlers (Slack, Discord, X, Signal) often ask for any type
 * and never run the app's script, so the tags must be there in the first answer.
 *
 *   linkPreviewRoutes(app, sources, (reply) => web.sendIndex(reply));
 */
export function linkPreviewRoutes(app: FastifyInstance, sources: PreviewSources, sendIndex: (reply: FastifyReply) => FastifyReply): void {
  const index = new IndexHtml(path.join(WEB_ROOT, 'index.html'));
  for (const page of PREVIEWED_PAGES) {
    app.get(page, async (request: FastifyRequest, reply: FastifyReply) => {
      const html = await index.read();
      if (html === undefined) return sendIndex(reply);
      const pathname = request.url.split('?')[0] ?? '/';
      const preview = await previewForPath(pathname, sources).catch((error: unknown) => {
        // A lookup failure costs the card its details, never the page.
        request.log.warn({ err: error }, 'the link preview could not read the stream; the page is served with the generic card');
        return genericPreview(`${sources.publicUrl}${pathname}`, sources);
      });
      return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(renderPreview(html, preview));
    });
  }
}

/** The built `index.html`, read again only when a new build has replaced it. */
class IndexHtml {
  private cached: { readonly mtimeMs: number; readonly text: string } | undefined;

  constructor(private readonly file: string) {}

  async read(): Promise<string | undefined> {
    const info = await stat(this.file).catch(() => undefined);
    if (!info) return undefined;
    if (this.cached?.mtimeMs !== info.mtimeMs) this.cached = { mtimeMs: info.mtimeMs, text: await readFile(this.file, 'utf8') };
    return this.cached.text;
  }
}
