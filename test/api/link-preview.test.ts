import { describe, expect, it } from 'vitest';
import { liveEventCoordinate } from '../../src/protocol/coordinate.js';
import { KIND } from '../../src/protocol/kinds.js';
import { encodeLiveEventAddress } from '../../src/protocol/naddr.js';
import { TestUser } from '../../testkit/nostr.js';
import { publishTo } from '../../testkit/relay-client.js';
import { useTestServer } from '../../testkit/suites.js';

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&amp;': '&' };
const unescape = (text: string) => text.replace(/&(lt|gt|quot|#39|amp);/g, (entity) => ENTITIES[entity] ?? entity);

/** What a crawler reads: the page's title and its meta tags by property or name, unescaped. */
function previewOf(html: string): { title: string | undefined; tags: Record<string, string> } {
  const tags: Record<string, string> = {};
  for (const [, key, value] of html.matchAll(/<meta (?:property|name)="([^"]+)" content="([^"]*)" \/>/g)) {
    if (key !== undefined && value !== undefined) tags[key] = unescape(value);
  }
  const title = /<title>([^<]*)<\/title>/.exec(html)?.[1];
  return { title: title === undefined ? undefined : unescape(title), tags };
}

/**
 * A pasted stream link previews with its title, host and picture: the service writes the
 * Open Graph and Twitter card tags into the HTML of `/s/<id>` and `/stream/<naddr>`, for its
 * public streams only, from what it holds itself.
 */
describe('link previews of stream pages', () => {
  const suite = useTestServer('sqlite');
  const host = new TestUser();

  const create = async (json: object) =>
    (await suite.server.call<{ stream_id: string }>('POST', '/api/v1/streams/create', { as: host, json: { category: 'music', ...json } })).body.stream_id;
  /** Fetched as a crawler does: any type accepted, no script run. */
  const crawl = async (path: string) => {
    const response = await fetch(`${suite.server.url}${path}`, { headers: { accept: '*/*', 'user-agent': 'Twitterbot/1.0' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('<div id="root"></div>');
    return { html, ...previewOf(html) };
  };

  it('names the stream and its host (from their kind 0 on our relay), escaped, with an absolute image and a large card', async () => {
    await publishTo(
      suite.server.url.replace('http://', 'ws://'),
      host.sign({ kind: KIND.metadata, created_at: Math.floor(Date.now() / 1000) - 60, tags: [], content: JSON.stringify({ name: 'Alice & Co' }) }),
    );
    const id = await create({ title: 'Jazz <"&> night', description: 'Standards and requests.' });
    const page = await crawl(`/s/${id}`);
    expect(page.title).toBe('Jazz <"&> night · Alice & Co');
    expect(page.html).toContain('<title>Jazz &lt;&quot;&amp;&gt; night · Alice &amp; Co</title>');
    expect(page.html).not.toContain('<"&>');
    expect(page.tags).toMatchObject({
      'og:title': 'Jazz <"&> night · Alice & Co',
      'og:description': 'Alice & Co goes live soon on Wavlake Live. Standards and requests.',
      'og:url': `${suite.server.url}/s/${id}`,
      'og:image': `${suite.server.url}/api/v1/streams/${id}/cover.png`,
      'twitter:card': 'summary_large_image',
      'twitter:title': 'Jazz <"&> night · Alice & Co',
    });
    // The image it names is really there.
    expect((await fetch(page.tags['og:image'] ?? '')).status).toBe(200);

    const naddr = encodeLiveEventAddress(liveEventCoordinate(suite.server.app.serviceKey.pubkey, id));
    const byAddress = await crawl(`/stream/${naddr}`);
    expect(byAddress.tags['og:title']).toBe('Jazz <"&> night · Alice & Co');
    expect(byAddress.tags['og:url']).toBe(`${suite.server.url}/stream/${naddr}`);
  });

  it('shows the stream’s own image when it has one', async () => {
    const id = await create({ title: 'With a cover', image: 'https://images.example.com/cover.jpg' });
    expect((await crawl(`/s/${id}`)).tags['og:image']).toBe('https://images.example.com/cover.jpg');
  });

  it('gives private, unknown and other services’ streams the generic card, telling nothing of them', async () => {
    const secret = await create({ title: 'Secret rehearsal', visibility: 'private' });
    const status = await suite.server.call<{ share_url: string }>('GET', `/api/v1/streams/${secret}/status`, { as: host });
    const open = await create({ title: 'Public but not theirs' });
    const foreign = encodeLiveEventAddress(liveEventCoordinate(new TestUser().pubkey, open));
    for (const path of [`/s/${secret}`, new URL(status.body.share_url).pathname + new URL(status.body.share_url).search, '/s/00000000-0000-4000-8000-000000000000', `/stream/${foreign}`, '/stream/not-an-naddr']) {
      const page = await crawl(path);
      expect(page.title, path).toBe('Wavlake Live');
      expect(page.tags['og:title'], path).toBe('Wavlake Live');
      expect(page.tags['og:description'], path).toBe('Live streams on Nostr');
      expect(page.tags['twitter:card'], path).toBe('summary');
      expect(page.html, path).not.toContain('Secret rehearsal');
      expect(page.html, path).not.toContain('Public but not theirs');
      expect(page.html, path).not.toContain('token=');
    }
  });
});
