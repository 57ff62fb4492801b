import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Linkified } from './linkify';

const render = (text: string) => renderToStaticMarkup(<Linkified text={text} />);

describe('Linkified', () => {
  it('escapes content that looks like HTML', () => {
    const html = render('<img src=x onerror=alert(1)> & <script>steal()</script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &lt;script&gt;steal()&lt;/script&gt;');
  });

  it('makes http and https links clickable, opening in a new tab without referrer', () => {
    const html = render('see https://wavlake.com/live and http://example.com/a?b=1 now');
    expect(html).toContain('<a href="https://wavlake.com/live" target="_blank" rel="noopener noreferrer nofollow"');
    expect(html).toContain('href="http://example.com/a?b=1"');
    expect(html.match(/<a /g)).toHaveLength(2);
    expect(html).toContain('see ');
    expect(html).toContain(' now');
  });

  it('leaves other schemes as text', () => {
    for (const text of ['javascript:alert(1)', 'JavaScript:alert(document.cookie)', 'data:text/html,<b>x</b>', 'ftp://example.com']) {
      expect(render(text)).not.toContain('<a');
    }
  });

  it('does not let a link swallow a quote or angle bracket into its href', () => {
    const html = render('https://example.com/"onmouseover="alert(1)');
    expect(html).toContain('href="https://example.com/"');
    expect(html).not.toContain('onmouseover="alert');
  });

  it('shows known custom emoji as pictures, and only those', () => {
    const html = renderToStaticMarkup(<Linkified text="hi :wave: :nope: https://x.example/:wave:" emoji={[{ shortcode: 'wave', url: 'https://example.com/wave.png' }]} />);
    expect(html.match(/<img /g)).toHaveLength(1);
    expect(html).toContain('src="https://example.com/wave.png" alt=":wave:"');
    expect(html).toContain(':nope:');
    expect(html).toContain('href="https://x.example/:wave:"');
  });
});
