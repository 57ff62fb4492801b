import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamView } from '../../src/protocol/api-views.js';
import { unixNow } from '../../src/protocol/time.js';
import { ENGINES } from '../../testkit/engines.js';
import { TestUser } from '../../testkit/nostr.js';
import { liveEventAt } from '../../testkit/relay-client.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';
import { eventually } from '../../testkit/streams.js';

interface Created {
  stream_id: string;
  stream_key: string;
  stream: StreamView;
}

const HOUR = 3600;

/** A planned stream over HTTP: starts_at validated, the 30311 planned with `starts`, the .ics, and the real start taking over. */
describe.each(ENGINES)('stream schedule over HTTP on %s', (engine) => {
  let server: TestServer;
  const alice = new TestUser();
  const bob = new TestUser();
  let relayUrl: string;

  beforeAll(async () => {
    server = await startTestServer(engine);
    relayUrl = `${server.url.replace('http:', 'ws:')}/`;
  });
  afterAll(async () => {
    await server.destroy();
  });

  it('refuses a planned start in the past, beyond a year, or not a whole Unix second', async () => {
    const cases: [unknown, string][] = [
      [unixNow() - 60, 'starts_at must be in the future'],
      [unixNow() + 400 * 24 * HOUR, 'starts_at must be within a year from now'],
      ['tomorrow', 'starts_at must be a Unix time in seconds, or null for none'],
      [unixNow() + HOUR + 0.5, 'starts_at must be a whole number of seconds'],
    ];
    for (const [startsAt, message] of cases) {
      const refused = await server.call('POST', '/api/v1/streams/create', { as: alice, json: { title: 'Bad plan', category: 'music', starts_at: startsAt } });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ error: 'invalid_request', message: expect.stringContaining(message) });
    }
  });

  it('publishes a planned 30311 with starts, changes and clears the plan, and goes live on Start with the real start', async () => {
    const planned = unixNow() + 2 * HOUR;
    const created = await server.call<Created>('POST', '/api/v1/streams/create', {
      as: alice,
      json: { title: 'Jazz, live; at nine', description: 'Standards\nand more', category: 'music', starts_at: planned },
    });
    expect(created.status).toBe(201);
    const id = created.body.stream_id;
    const path = `/api/v1/streams/${id}`;
    expect(created.body.stream.starts_at).toBe(planned);

    const event = await eventually('the planned 30311', async () => liveEventAt(relayUrl, id));
    expect(event).toMatchObject({ status: 'planned', starts: planned });

    const ics = await server.call<string>('GET', `${path}/calendar.ics`);
    expect(ics.status).toBe(200);
    expect(ics.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(ics.body).toContain(`\r\nDTSTART:${new Date(planned * 1000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')}\r\n`);
    expect(ics.body).toContain('\r\nSUMMARY:Jazz\\, live\\; at nine\r\n');
    expect(ics.body).toContain(`\r\nURL:${server.url}/s/${id}\r\n`);
    expect(ics.body).toContain(`\r\nUID:${id}@`);

    expect((await server.call('PATCH', path, { as: bob, json: { starts_at: planned + HOUR } })).status).toBe(403);
    const moved = await server.call<StreamView>('PATCH', path, { as: alice, json: { starts_at: planned + HOUR } });
    expect(moved.body.starts_at).toBe(planned + HOUR);
    const past = await server.call('PATCH', path, { as: alice, json: { starts_at: 1_000 } });
    expect(past.status).toBe(400);
    expect(past.body).toMatchObject({ error: 'invalid_request', message: expect.stringContaining('starts_at must be in the future') });
    const cleared = await server.call<StreamView>('PATCH', path, { as: alice, json: { starts_at: null } });
    expect(cleared.body.starts_at).toBeNull();
    const unscheduled = await server.call('GET', `${path}/calendar.ics`);
    expect(unscheduled.status).toBe(409);
    expect(unscheduled.body).toMatchObject({ error: 'not_scheduled' });
    await server.call('PATCH', path, { as: alice, json: { starts_at: planned } });

    await server.call('POST', '/api/v1/streams/auth', { json: { name: created.body.stream_key, call: 'publish' } });
    const started = await server.call<StreamView>('POST', `${path}/start`, { as: alice });
    expect(started.status).toBe(200);
    const startedAt = started.body.started_at ?? 0;
    expect(startedAt).toBeLessThan(planned);
    const live = await eventually('the live 30311', async () => {
      const current = await liveEventAt(relayUrl, id);
      return current?.status === 'live' ? current : undefined;
    }, 30_000);
    expect(live.starts).toBe(startedAt);

    const tooLate = await server.call('PATCH', path, { as: alice, json: { starts_at: planned } });
    expect(tooLate.status).toBe(409);
    expect(tooLate.body).toMatchObject({ error: 'already_started' });
  }, 60_000);
});
