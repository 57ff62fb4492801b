import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BODY_LIMIT_BYTES } from '../../src/api/server.js';
import { TestUser } from '../../testkit/nostr.js';
import { useTestServer } from '../../testkit/suites.js';

/** `depth` arrays inside each other around `inner`: `[[[inner]]]`. */
const nested = (depth: number, inner = '') => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;

/** The first message the server sends after `text`, parsed. */
async function firstAnswer(url: string, text: string): Promise<unknown> {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  // The relay's NIP-42 challenge, sent on connect, is not an answer.
  const answer = new Promise<unknown>((resolve) =>
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as unknown[];
      if (message[0] !== 'AUTH') resolve(message);
    }),
  );
  socket.send(text);
  try {
    return await answer;
  } finally {
    socket.close();
  }
}

/** JSON nested as deep as a body or a message can hold is refused as input, never a crash. */
describe('deeply nested JSON', () => {
  const suite = useTestServer('sqlite');
  const alice = new TestUser();

  it('answers 400 {error, message} to a REST body of 32,000 nested arrays, and keeps serving', async () => {
    // The deepest nesting the 64 KiB body limit lets through (100,000 levels are refused as too large first).
    const depth = Math.floor((BODY_LIMIT_BYTES - 2) / 2);
    for (const body of [nested(depth), `{"title":"deep","category":"talk","tags":${nested(depth - 30, '"x"')}}`]) {
      const answer = await suite.server.call('POST', '/api/v1/streams/create', { body, headers: { 'content-type': 'application/json' } });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ error: 'too_deep', message: expect.stringMatching(/nested deeper than \d+ levels/) });
    }
    const huge = await suite.server.call('POST', '/api/v1/streams/create', {
      body: nested(100_000),
      headers: { 'content-type': 'application/json' },
    });
    expect(huge.status).toBe(413);
    // A NUL anywhere is still found, and an ordinary body still works.
    const withNul = await suite.server.call('POST', '/api/v1/streams/create', {
      as: alice,
      json: { title: 'ok', category: 'talk', tags: ['a', 'b\u0000'] },
    });
    expect(withNul.body).toMatchObject({ error: 'invalid_text' });
    const created = await suite.server.call('POST', '/api/v1/streams/create', { as: alice, json: { title: 'Fine', category: 'talk', tags: ['a'] } });
    expect(created.status).toBe(201);
  });

  it('refuses deeply nested relay messages with invalid: (a REQ filter, EVENT tags, the message itself)', async () => {
    const url = suite.server.url.replace('http://', 'ws://');
    const depth = 60_000;
    expect(await firstAnswer(url, nested(depth))).toEqual(['NOTICE', expect.stringMatching(/^invalid: /)]);
    expect(await firstAnswer(url, `["REQ","deep",{"kinds":${nested(depth, '1')}}]`)).toEqual(['CLOSED', 'deep', expect.stringMatching(/^invalid: /)]);
    expect(await firstAnswer(url, `["REQ","deep",{"#t":${nested(depth, '"x"')}}]`)).toEqual(['CLOSED', 'deep', expect.stringMatching(/^invalid: /)]);
    const event = new TestUser().sign({ kind: 1, content: 'deep' });
    const deepTags = JSON.stringify(['EVENT', { ...event, tags: [] }]).replace('"tags":[]', `"tags":${nested(depth, '"x"')}`);
    expect(await firstAnswer(url, deepTags)).toEqual(['OK', event.id, false, expect.stringMatching(/^invalid: /)]);
    // The relay still works for the next client.
    expect(await firstAnswer(url, JSON.stringify(['EVENT', event]))).toEqual(['OK', event.id, true, '']);
  });

  it('answers a deeply nested real-time feed message with an error message', async () => {
    const created = await suite.server.call<{ stream_id: string }>('POST', '/api/v1/streams/create', {
      as: alice,
      json: { title: 'Feed', category: 'talk' },
    });
    const socket = new WebSocket(`${suite.server.url.replace('http://', 'ws://')}/api/v1/streams/${created.body.stream_id}/ws`);
    const messages: { type: string; error?: string }[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(data.toString()) as { type: string; error?: string }));
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    socket.send(nested(2000));
    await expect.poll(() => messages.find((message) => message.type === 'error')).toMatchObject({ error: 'invalid_report' });
    socket.close();
  });
});
