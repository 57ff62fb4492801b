import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../../testkit/engines.js';
import { TestUser } from '../../testkit/nostr.js';
import { queryRelay } from '../../testkit/relay-client.js';
import { useRelaySuite } from '../../testkit/suites.js';
import { RawClient } from '../../testkit/raw-client.js';

const now = () => Math.floor(Date.now() / 1000);

/**
 * What the store cannot keep is answered, never left hanging: a failing database gives
 * `OK false "error: …"`, and what one engine could not hold (NUL characters, very long
 * addresses) is refused with `invalid:` on both, so they agree.
 */
describe.each(ENGINES)('relay storage failures on %s', (engine) => {
  const suite = useRelaySuite(engine);
  const author = new TestUser();

  it('answers OK false with "error:" when saving fails, and carries on once the database is back', async () => {
    const db = suite.server.app.database.db;
    await sql`ALTER TABLE nostr_tags RENAME TO nostr_tags_away`.execute(db);
    try {
      await expect(suite.relay.publish(author.sign({ kind: 1, content: 'lost?', tags: [['t', 'x']] }))).rejects.toThrow(/^error: /);
    } finally {
      await sql`ALTER TABLE nostr_tags_away RENAME TO nostr_tags`.execute(db);
    }
    const kept = author.sign({ kind: 1, content: 'kept', tags: [['t', 'x']] });
    expect(await suite.relay.publish(kept)).toBe('');
    expect((await queryRelay(suite.relay, [{ ids: [kept.id] }])).map((event) => event.content)).toEqual(['kept']);
  });

  it('refuses NUL characters in content, tags and tag filters with "invalid:"', async () => {
    await expect(suite.relay.publish(author.sign({ kind: 1, content: 'a\u0000b' }))).rejects.toThrow(/^invalid: content must not contain NUL/);
    await expect(suite.relay.publish(author.sign({ kind: 1, tags: [['t', 'x\u0000']] }))).rejects.toThrow(/^invalid: tags must not contain NUL/);
    const client = await RawClient.open(suite.server.url.replace('http://', 'ws://'));
    client.send(['REQ', 'nul', { '#t': ['x\u0000'] }]);
    const closed = await client.next((m) => m[1] === 'nul');
    expect(closed[0]).toBe('CLOSED');
    expect(String(closed[2])).toMatch(/^invalid: /);
    client.socket.close();
  });

  it('deletes an addressable event whose coordinate is longer than 200 characters, and bounds addresses at 1024 bytes', async () => {
    const identifier = 'long-'.repeat(60);
    const t = now() - 10;
    const address = author.sign({ kind: 30311, created_at: t, tags: [['d', identifier]] });
    await suite.relay.publish(address);
    const coordinate = `30311:${author.pubkey}:${identifier}`;
    expect(coordinate.length).toBeGreaterThan(200);
    expect(await suite.relay.publish(author.sign({ kind: 5, created_at: t + 1, tags: [['a', coordinate]] }))).toBe('');
    expect(await queryRelay(suite.relay, [{ ids: [address.id] }])).toEqual([]);
    await expect(suite.relay.publish(address)).rejects.toThrow(/^blocked:/);

    // 'é' is two bytes: 513 of them are 1026 bytes, though only 513 characters.
    await expect(suite.relay.publish(author.sign({ kind: 30311, tags: [['d', 'é'.repeat(513)]] }))).rejects.toThrow(/^invalid: the d tag/);
    const tooLong = `30311:${author.pubkey}:${'é'.repeat(480)}`;
    await expect(suite.relay.publish(author.sign({ kind: 5, tags: [['a', tooLong]] }))).rejects.toThrow(/^invalid: an a tag/);
  });
});
