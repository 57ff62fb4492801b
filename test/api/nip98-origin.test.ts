import { describe, expect, it } from 'vitest';
import { TestUser } from '../../testkit/nostr.js';
import { rawExchange } from '../../testkit/raw-http.js';
import { useTestServer } from '../../testkit/suites.js';

const PATH = '/api/v1/streams/create';
const BODY = { title: 'Replayed', category: 'talk' };

/**
 * NIP-98 binds a header to one URL. Another instance of this service has the same paths, so a
 * header signed for it must not work here, whatever Host header comes with it.
 */
describe('NIP-98 u tag is checked against this service’s own public URL', () => {
  const suite = useTestServer('sqlite', { env: { PUBLIC_URL_ALIASES: 'https://live.alias.example, http://onion.example' } });
  const alice = new TestUser();

  /** A create call signed for `signedFor` and sent here with `Host: host`. */
  async function signedFor(signedFor: string, host: string) {
    const body = JSON.stringify(BODY);
    const authorization = await alice.authHeader(`${signedFor}${PATH}`, 'POST', BODY);
    const answer = await rawExchange(
      suite.server.url,
      [
        `POST ${PATH} HTTP/1.1`,
        `Host: ${host}`,
        `Authorization: ${authorization}`,
        'Content-Type: application/json',
        `Content-Length: ${Buffer.byteLength(body)}`,
        'Connection: close',
        '',
        body,
      ].join('\r\n'),
    );
    const json = answer.text.slice(answer.text.indexOf('\r\n\r\n') + 4);
    return { status: answer.status, body: JSON.parse(json) as { error?: string; message?: string } };
  }

  it('refuses a header signed for another site, sent with that site’s Host, with 401 naming the URL to sign', async () => {
    const answer = await signedFor('http://other.example', 'other.example');
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({
      error: 'unauthorized',
      message: `NIP-98 event's u tag (http://other.example${PATH}) is not this service's URL for the request (${suite.server.url}${PATH}).`,
    });
  });

  it('accepts a header signed for PUBLIC_URL, whatever the Host header says', async () => {
    expect((await signedFor(suite.server.url, new URL(suite.server.url).host)).status).toBe(201);
    // A proxy in front may pass its own Host: the signature is for the public URL all the same.
    expect((await signedFor(suite.server.url, 'internal-upstream:8080')).status).toBe(201);
  });

  it('accepts the other public URLs the operator listed in PUBLIC_URL_ALIASES, and only those', async () => {
    expect((await signedFor('https://live.alias.example', 'live.alias.example')).status).toBe(201);
    expect((await signedFor('http://onion.example', 'onion.example')).status).toBe(201);
    // The alias's scheme counts: http:// is a different URL from the https:// one listed.
    expect((await signedFor('http://live.alias.example', 'live.alias.example')).status).toBe(401);
  });
});
