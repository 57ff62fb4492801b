import { describe, expect, it } from 'vitest';
import { escapeHtml, renderPreview } from './meta-tags.js';

const INDEX = '<!doctype html>\n<html>\n  <head>\n    <meta charset="UTF-8" />\n    <title>Wavlake Live</title>\n  </head>\n  <body><div id="root"></div></body>\n</html>\n';

describe('link preview tags', () => {
  it('put the title, description, image, url and a large-image card in place of the page title', () => {
    const html = renderPreview(INDEX, {
      title: 'Jazz night · Alice',
      description: 'Alice is live on Wavlake Live.',
      url: 'https://live.example/s/1',
      image: 'https://live.example/hls/1/thumb.jpg',
      siteName: 'Wavlake Live',
    });
    expect(html).toContain('<title>Jazz night · Alice</title>');
    expect(html).not.toContain('<title>Wavlake Live</title>');
    expect(html).toContain('<meta property="og:title" content="Jazz night · Alice" />');
    expect(html).toContain('<meta property="og:description" content="Alice is live on Wavlake Live." />');
    expect(html).toContain('<meta property="og:image" content="https://live.example/hls/1/thumb.jpg" />');
    expect(html).toContain('<meta property="og:url" content="https://live.example/s/1" />');
    expect(html).toContain('<meta name="twitter:card" content="summary_large_image" />');
    expect(html).toContain('<div id="root"></div>');
  });

  it('fall back to the small summary card without an image', () => {
    const html = renderPreview(INDEX, { title: 'Wavlake Live', description: 'Live streams on Nostr', url: 'https://live.example/s/2', siteName: 'Wavlake Live' });
    expect(html).toContain('<meta name="twitter:card" content="summary" />');
    expect(html).not.toContain('og:image');
  });

  it('escape what users wrote, and keep replacement patterns as text', () => {
    expect(escapeHtml(`<script>"&'`)).toBe('&lt;script&gt;&quot;&amp;&#39;');
    const html = renderPreview(INDEX, { title: 'A <b>"&</b> $& $1', description: '"><script>alert(1)</script>', url: 'https://live.example/s/3', siteName: 'W' });
    expect(html).toContain('<title>A &lt;b&gt;&quot;&amp;&lt;/b&gt; $&amp; $1</title>');
    expect(html).toContain('content="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(html).not.toContain('<script>alert');
  });

  it('go at the end of the head when the page has no title', () => {
    const html = renderPreview('<html><head></head><body></body></html>', { title: 'T', description: 'D', url: 'https://x/s/1', siteName: 'W' });
    expect(html).toMatch(/<title>T<\/title>[\s\S]*<\/head>/);
  });
});
