import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestUser } from '../../testkit/nostr.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';
import { RawClient, type Message } from '../../testkit/raw-client.js';

interface Nip11 {
  limitation: Record<string, number | boolean>;
}

/**
 * The relay's protective limits, driven with raw WebSocket frames: each is stated in
 * NIP-11, enforced as stated, answered with a NOTICE/CLOSED/OK false, and never disturbs
 * other connections.
 */
describe('relay limits', () => {
  let server: TestServer;
  let url: string;
  let limits: Nip11['limitation'];
  const author = new TestUser();

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    url = server.url.replace('http://', 'ws://');
    const response = await fetch(server.url, { headers: { accept: 'application/nostr+json' } });
    limits = ((await response.json()) as Nip11).limitation;
  });
  afterAll(async () => {
    await server?.destroy();
  });

  const notice = (message: Message) => message[0] === 'NOTICE';
  const eose = (id: string) => (message: Message) => message[0] === 'EOSE' && message[1] === id;

  it('answers NIP-11 to browsers on other origins, preflight included', async () => {
    const preflight = await fetch(server.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://client.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'accept' },
    });
    expect(preflight.status).toBe(204);
    const document = await fetch(server.url, { headers: { accept: 'application/nostr+json', origin: 'https://client.example' } });
    for (const response of [preflight, document]) {
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-allow-headers')).toBe('*');
      expect(response.headers.get('access-control-allow-methods')).toContain('GET');
    }
    expect(document.headers.get('content-type')).toContain('application/nostr+json');
  });

  it('states its limits in NIP-11', () => {
    expect(limits).toMatchObject({
      max_message_length: 131072,
      max_subscriptions: 20,
      max_filters: 10,
      max_limit: 500,
      max_subid_length: 64,
      max_content_length: 65536,
      created_at_upper_limit: 900,
    });
  });

  it('answers invalid JSON, non-arrays, unknown types and binary frames with a NOTICE and stays usable', async () => {
    const client = await RawClient.open(url);
    for (const bad of ['{not json', '{"an":"object"}', '[]', '["HELLO"]', '[42]']) {
      client.send(bad);
      expect(String((await client.next(notice))[1])).toMatch(/^invalid: /);
    }
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(String((await client.next(notice))[1])).toMatch(/^invalid: binary/);
    client.send(['REQ', 'still-here', { kinds: [1], limit: 1 }]);
    await client.next(eose('still-here'));
    client.socket.close();
  });

  it('refuses a message over max_message_length with a NOTICE, and closes on a frame over 1 MiB without disturbing others', async () => {
    const client = await RawClient.open(url);
    const bystander = await RawClient.open(url);
    client.send(JSON.stringify(['REQ', 'big', { '#t': ['x'.repeat(Number(limits.max_message_length))] }]));
    expect(String((await client.next(notice))[1])).toMatch(/^invalid: message is longer than/);
    client.send('x'.repeat(1024 * 1024 + 10));
    await new Promise((resolve) => client.socket.once('close', resolve));
    expect(client.closeCode).toBe(1009);
    bystander.send(['REQ', 'fine', { kinds: [1], limit: 1 }]);
    await bystander.next(eose('fine'));
    bystander.socket.close();
  });

  it('measures max_message_length in UTF-8 bytes of the frame and max_content_length in Unicode characters', async () => {
    const client = await RawClient.open(url);
    const max = Number(limits.max_message_length);
    // 'é' is one UTF-16 unit but two bytes: these frames are under the limit in characters either way.
    const req = (id: string, values: number) => ['REQ', id, { '#t': Array.from({ length: values }, () => 'é'.repeat(1000)) }];
    expect(JSON.stringify(req('over', 70)).length).toBeLessThan(max);
    expect(Buffer.byteLength(JSON.stringify(req('over', 70)))).toBeGreaterThan(max);
    client.send(req('over', 70));
    expect(String((await client.next(notice))[1])).toMatch(/^invalid: message is longer than 131072 bytes/);
    expect(Buffer.byteLength(JSON.stringify(req('under', 60)))).toBeLessThan(max);
    client.send(req('under', 60));
    await client.next(eose('under'));

    // An emoji is one character (two UTF-16 units): exactly max_content_length characters pass, one more does not.
    const maxContent = Number(limits.max_content_length);
    const content = 'a'.repeat(maxContent - 1000) + '😀'.repeat(1000);
    expect(content.length).toBeGreaterThan(maxContent);
    for (const [text, accepted] of [[content, true], [content + 'a', false]] as const) {
      const event = author.sign({ kind: 1, content: text });
      client.send(['EVENT', event]);
      const ok = await client.next((m) => m[0] === 'OK' && m[1] === event.id);
      expect(ok[2]).toBe(accepted);
      if (!accepted) expect(String(ok[3])).toMatch(/^invalid: content is longer than 65536 characters/);
    }
    client.socket.close();
  });

  it('enforces max_subscriptions, max_filters, max_subid_length and bad filters with CLOSED', async () => {
    const client = await RawClient.open(url);
    for (let i = 0; i < Number(limits.max_subscriptions); i += 1) {
      client.send([`REQ`, `sub-${i}`, { kinds: [1], limit: 1 }]);
      await client.next(eose(`sub-${i}`));
    }
    client.send(['REQ', 'one-too-many', { kinds: [1] }]);
    const closed = await client.next((message) => message[0] === 'CLOSED' && message[1] === 'one-too-many');
    expect(String(closed[2])).toMatch(/^(rate-limited|restricted|blocked): /);
    for (let i = 0; i < Number(limits.max_subscriptions); i += 1) client.send(['CLOSE', `sub-${i}`]);

    client.send(['REQ', 'many-filters', ...Array.from({ length: Number(limits.max_filters) + 1 }, () => ({ kinds: [1] }))]);
    expect(String((await client.next((m) => m[0] === 'CLOSED' && m[1] === 'many-filters'))[2])).toMatch(/^invalid: /);

    client.send(['REQ', 'bad-filter', { ids: ['not-hex'], limit: -1 }]);
    expect(String((await client.next((m) => m[0] === 'CLOSED' && m[1] === 'bad-filter'))[2])).toMatch(/^invalid: /);

    const longId = 'x'.repeat(Number(limits.max_subid_length) + 1);
    client.send(['REQ', longId, { kinds: [1] }]);
    const refusal = await client.next((m) => (m[0] === 'CLOSED' && m[1] === longId) || notice(m));
    expect(String(refusal.at(-1))).toMatch(/^invalid: /);
    client.socket.close();
  });

  it('clamps a limit above max_limit and refuses content and created_at outside the bounds', async () => {
    const client = await RawClient.open(url);
    client.send(['REQ', 'clamped', { kinds: [1], limit: 100_000 }]);
    await client.next(eose('clamped'));

    const now = Math.floor(Date.now() / 1000);
    const cases = [
      author.sign({ kind: 1, content: 'x'.repeat(Number(limits.max_content_length) + 1) }),
      author.sign({ kind: 1, content: 'from the future', created_at: now + Number(limits.created_at_upper_limit) + 120 }),
      author.sign({ kind: 1, content: 'from long ago', created_at: now - Number(limits.created_at_lower_limit) - 120 }),
    ];
    for (const event of cases) {
      client.send(['EVENT', event]);
      const ok = await client.next((m) => m[0] === 'OK' && m[1] === event.id);
      expect(ok[2]).toBe(false);
      expect(String(ok[3])).toMatch(/^invalid: /);
    }
    const fine = author.sign({ kind: 1, content: 'within limits' });
    client.send(['EVENT', fine]);
    expect((await client.next((m) => m[0] === 'OK' && m[1] === fine.id))[2]).toBe(true);
    client.socket.close();
  });

  it('answers every message of a burst: up to the pending cap in turn, beyond it with a rate-limited NOTICE', async () => {
    const client = await RawClient.open(url);
    const BURST = 3000;
    // Written at once, so that a socket read holds far more than the cap before reading can stop.
    // One subscription id throughout: each REQ replaces the last, so none meets max_subscriptions.
    for (let i = 0; i < BURST; i += 1) client.send(['REQ', 'burst', { ids: [] }]);
    await client.until((messages) => messages.length === BURST, 20_000);
    const answered = client.messages.filter((m) => m[0] === 'EOSE' && m[1] === 'burst').length;
    const refused = client.messages.filter((m) => m[0] === 'NOTICE');
    expect(answered + refused.length).toBe(BURST);
    expect(answered).toBeGreaterThan(Number(limits.max_subscriptions));
    expect(refused.length).toBeGreaterThan(0);
    for (const notice of refused) expect(String(notice[1])).toMatch(/^rate-limited: too many pending messages/);
    client.messages.length = 0;
    client.send(['REQ', 'after-burst', { kinds: [1], limit: 1 }]);
    await client.next(eose('after-burst'));
    client.socket.close();
  });

  it('keeps serving another connection while one floods it with malformed messages', async () => {
    const flooder = await RawClient.open(url);
    const other = await RawClient.open(url);
    for (let i = 0; i < 2000; i += 1) flooder.send(i % 2 ? '{broken' : ['EVENT', { id: 'nope' }]);
    other.send(['REQ', 'during-flood', { kinds: [1], limit: 5 }]);
    await other.next(eose('during-flood'), 15_000);
    await flooder.next(notice, 15_000);
    flooder.socket.close();
    other.socket.close();
  });
});
