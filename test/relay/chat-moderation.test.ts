import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCoordinate, liveEventCoordinate, type Coordinate } from '../../src/protocol/coordinate.js';
import { buildDeletion } from '../../src/protocol/deletion.js';
import { buildLiveChat } from '../../src/protocol/live-chat.js';
import { buildModeration, type ModerationAction } from '../../src/protocol/moderation.js';
import { ENGINES } from '../../testkit/engines.js';
import { TestUser } from '../../testkit/nostr.js';
import { publishTo, queryRelay, Relay } from '../../testkit/relay-client.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';

const now = () => Math.floor(Date.now() / 1000);

/**
 * Host moderation of a live chat through a real client: removals hidden from history,
 * bans and time-outs refused with `blocked:`, only the host and named moderators obeyed,
 * and the state surviving a restart.
 */
describe.each(ENGINES)('chat moderation on %s', (engine) => {
  let server: TestServer;
  // The same key signs REST calls (TestUser) and Nostr events (TestUser).
  const host = new TestUser();
  const hostUser = new TestUser(host.secret);
  const moderator = new TestUser();
  const viewer = new TestUser();
  const troll = new TestUser();
  let stream: Coordinate;
  let streamId: string;

  beforeAll(async () => {
    server = await startTestServer(engine);
    const { body } = await server.call<{ stream_id: string }>('POST', '/api/v1/streams/create', {
      as: hostUser,
      json: { title: 'Moderated', category: 'talk' },
    });
    streamId = body.stream_id;
    stream = liveEventCoordinate(server.app.serviceKey.pubkey, streamId);
  });
  afterAll(async () => {
    await server?.destroy();
  });

  const relayUrl = () => server.url.replace('http://', 'ws://');
  async function publish(author: TestUser, template: { kind: number; tags: string[][]; content: string; created_at: number }) {
    const event = author.sign(template);
    await publishTo(relayUrl(), event);
    return event;
  }
  const chat = (author: TestUser, content: string) => publish(author, buildLiveChat({ stream, content }, now()));
  // Moderation is replayed in created_at order after a restart: a test acting faster than
  // one action per second says when each happened.
  const moderate = (author: TestUser, action: ModerationAction, at = now()) => publish(author, buildModeration({ stream, action }, at));
  async function history() {
    const relay = await Relay.connect(relayUrl());
    const events = await queryRelay(relay, [{ kinds: [1311], '#a': [`30311:${stream.pubkey}:${streamId}`] }]);
    relay.close();
    return events.map((event) => event.content);
  }

  it('lets only the host or a moderator act, and hides removed messages from history', async () => {
    await chat(viewer, 'hello');
    const spam = await chat(troll, 'buy my coin');
    await expect(moderate(viewer, { type: 'remove', messages: [spam.id] })).rejects.toThrow(/^blocked: only the host or a moderator/);
    expect(await history()).toContain('buy my coin');

    await moderate(host, { type: 'remove', messages: [spam.id] });
    const remaining = await history();
    expect(remaining).toContain('hello');
    expect(remaining).not.toContain('buy my coin');
  });

  it('refuses chat from a timed-out user until the ban is lifted, and from a banned one for good', async () => {
    await moderate(host, { type: 'ban', user: troll.pubkey, until: now() + 600 }, now() - 2);
    await expect(chat(troll, 'let me in')).rejects.toThrow(/^blocked: you are timed out of this chat until \d{4}-/);
    await chat(viewer, 'still here');

    await moderate(host, { type: 'unban', user: troll.pubkey }, now() - 1);
    await chat(troll, 'sorry');

    await moderate(host, { type: 'ban', user: troll.pubkey });
    await expect(chat(troll, 'again')).rejects.toThrow(/^blocked: the host has banned you/);
  });

  it('reads every a tag: naming another stream first dodges neither a ban, nor the host rule, nor a removal', async () => {
    const decoy = ['a', `30311:${new TestUser().pubkey}:decoy`];
    const ours = ['a', formatCoordinate(stream), '', 'root'];
    const decoyed = (author: TestUser, kind: number, content: string, extra: string[][] = []) =>
      publish(author, { kind, tags: [decoy, ours, ...extra], content, created_at: now() });

    await expect(decoyed(troll, 1311, 'sneaky')).rejects.toThrow(/^blocked: the host has banned you/);
    const message = await decoyed(viewer, 1311, 'decoyed');
    expect(await history()).toContain('decoyed');
    await expect(decoyed(viewer, 9005, '', [['e', message.id]])).rejects.toThrow(/^blocked: only the host or a moderator/);
    await moderate(host, { type: 'remove', messages: [message.id] });
    expect(await history()).not.toContain('decoyed');
  });

  it('gives a moderator named by the host the same powers', async () => {
    const message = await chat(viewer, 'off topic');
    await expect(moderate(moderator, { type: 'remove', messages: [message.id] })).rejects.toThrow(/^blocked:/);
    const named = await server.call('PATCH', `/api/v1/streams/${streamId}`, {
      as: hostUser,
      json: { moderators: [moderator.pubkey] },
    });
    expect(named.status).toBe(200);
    // The relay reads the moderators afresh from the stream: no restart needed.
    await moderate(moderator, { type: 'remove', messages: [message.id] });
    expect(await history()).not.toContain('off topic');
  });

  it('keeps bans and removals across a restart', async () => {
    server = await server.restart();
    await expect(chat(troll, 'after restart')).rejects.toThrow(/^blocked: the host has banned you/);
    expect(await history()).not.toContain('buy my coin');
  });

  it('stores moderation events about other services\' streams untouched', async () => {
    const elsewhere = liveEventCoordinate(new TestUser().pubkey, 'their-stream');
    const event = await publish(viewer, buildModeration({ stream: elsewhere, action: { type: 'ban', user: troll.pubkey } }, now()));
    const relay = await Relay.connect(relayUrl());
    const [stored] = await queryRelay(relay, [{ ids: [event.id] }]);
    relay.close();
    expect(stored?.id).toBe(event.id);
  });

  /** A connection that answered the relay's NIP-42 challenge as `author`. */
  async function authenticatedAs(author: TestUser): Promise<Relay> {
    const relay = new Relay(relayUrl());
    let challenged = () => {};
    const challenge = new Promise<void>((resolve) => (challenged = resolve));
    relay.onauth = async (template) => {
      challenged();
      return author.sign(template);
    };
    await relay.connect();
    await challenge;
    await relay.auth(async (template) => author.sign(template));
    return relay;
  }

  it('serves removed messages to the host\'s authenticated connection only, and again to everyone once the host deletes the removal', async () => {
    const message = await chat(viewer, 'misread as spam');
    const removal = await moderate(host, { type: 'remove', messages: [message.id] });
    expect(await history()).not.toContain('misread as spam');

    const asHost = await authenticatedAs(host);
    expect((await queryRelay(asHost, [{ ids: [message.id] }])).map((event) => event.content)).toEqual(['misread as spam']);
    asHost.close();
    const asViewer = await authenticatedAs(viewer);
    expect(await queryRelay(asViewer, [{ ids: [message.id] }])).toEqual([]);
    asViewer.close();

    // Only the removal's author can withdraw it: the store deletes nothing for anyone else.
    await publish(viewer, buildDeletion({ events: [removal.id], kinds: [9005] }, now()));
    expect(await history()).not.toContain('misread as spam');

    await publish(host, buildDeletion({ events: [removal.id], kinds: [9005], reason: 'restored' }, now()));
    expect(await history()).toContain('misread as spam');
    const relay = await Relay.connect(relayUrl());
    expect(await queryRelay(relay, [{ kinds: [5], authors: [host.pubkey], '#k': ['9005'] }])).toHaveLength(1);
    relay.close();
  });
});
