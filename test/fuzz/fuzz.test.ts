import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { liveEventCoordinate } from '../../src/protocol/coordinate.js';
import { buildLiveChat } from '../../src/protocol/live-chat.js';
import { ENGINES } from '../../testkit/engines.js';
import { TestUser } from '../../testkit/nostr.js';
import { queryRelay, Relay } from '../../testkit/relay-client.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';
import { apiBody, authHeader, Random, relayMessage, rtmpBytes } from './generators.js';

const SEED = 1234;
const COUNTS = { relay: 2000, api: 500, nip98: 300, rtmp: 100 };
const PREFIXES = /^(invalid|duplicate|blocked|rate-limited|restricted|error|pow|auth-required): /;

/**
 * Thousands of malformed inputs, from a fixed seed, against a running server: every bad
 * input is refused the protocol's way, well-formed clients keep being served throughout,
 * and nothing stored before is lost.
 */
describe.each(ENGINES)('fuzzing a running server on %s', (engine) => {
  let server: TestServer;
  const owner = new TestUser();
  const streams: { id: string; title: string }[] = [];
  /** The owner's stream the PATCH fuzzing may really change (valid bodies do get through). */
  let scratchStream = '';
  const events: string[] = [];
  const tally: Record<string, Record<string, number>> = { relay: {}, api: {}, nip98: {}, rtmp: {} };
  const count = (kind: string, outcome: string) => {
    const bucket = tally[kind] ?? {};
    bucket[outcome] = (bucket[outcome] ?? 0) + 1;
    tally[kind] = bucket;
  };

  beforeAll(async () => {
    server = await startTestServer(engine, { env: { RATE_LIMIT_API_PER_ADDRESS: '100000', RATE_LIMIT_CHAT_PER_ADDRESS: '100000' } });
    for (const title of ['Known one', 'Known two', 'Known three']) {
      const { body } = await server.call<{ stream_id: string }>('POST', '/api/v1/streams/create', {
        as: owner,
        json: { title, category: 'music' },
      });
      streams.push({ id: body.stream_id, title });
    }
    scratchStream = (
      await server.call<{ stream_id: string }>('POST', '/api/v1/streams/create', { as: owner, json: { title: 'Scratch', category: 'talk' } })
    ).body.stream_id;
    const relay = await Relay.connect(server.url.replace('http://', 'ws://'));
    const author = new TestUser();
    const now = Math.floor(Date.now() / 1000);
    const stream = liveEventCoordinate(server.app.serviceKey.pubkey, streams[0]?.id ?? '');
    for (const template of [
      { kind: 1, content: 'known note', tags: [], created_at: now },
      buildLiveChat({ stream, content: 'known chat' }, now),
      { kind: 30023, content: 'known article', tags: [['d', 'article']], created_at: now },
    ]) {
      const event = author.sign(template);
      await relay.publish(event);
      events.push(event.id);
    }
    relay.close();
  });
  afterAll(async () => {
    console.log(`fuzz on ${engine} (seed ${SEED}) summary:`);
    for (const [kind, outcomes] of Object.entries(tally)) console.log(`  ${kind}: ${JSON.stringify(outcomes)}`);
    console.log(`  rss after: ${Math.round(process.memoryUsage().rss / 1e6)} MB`);
    await server?.destroy();
  });

  async function probe(): Promise<void> {
    const relay = await Relay.connect(server.url.replace('http://', 'ws://'));
    await queryRelay(relay, [{ kinds: [1], limit: 1 }]);
    relay.close();
    // Bodies are read to the end: an unread body keeps its connection busy.
    for (const path of ['/healthz', '/api/v1/streams/live']) {
      const response = await fetch(`${server.url}${path}`);
      await response.text();
      expect(response.status).toBe(200);
    }
  }

  it(`answers ${COUNTS.relay} malformed relay messages with NIP-01 refusals`, { timeout: 120_000 }, async () => {
    const random = new Random(SEED);
    let socket = await openSocket(server);
    for (let i = 0; i < COUNTS.relay; i += 1) {
      if (i % 250 === 0) await probe();
      const message = relayMessage(random);
      if (socket.readyState !== WebSocket.OPEN) socket = await openSocket(server);
      const answers = await sendAndCollect(socket, message, `probe-${i}`);
      if (answers === 'closed') {
        count('relay', 'connection closed');
        continue;
      }
      const refusal = answers.find(
        (answer) =>
          (answer[0] === 'NOTICE' && PREFIXES.test(String(answer[1]))) ||
          (answer[0] === 'CLOSED' && PREFIXES.test(String(answer[2]))) ||
          (answer[0] === 'OK' && answer[2] === false && PREFIXES.test(String(answer[3]))),
      );
      const served = answers.find((answer) => answer[0] === 'EOSE' || (answer[0] === 'OK' && answer[2] === true));
      const isClose = typeof message === 'string' && message.startsWith('["CLOSE"');
      if (refusal) count('relay', `refused ${String(refusal[0])}`);
      else if (served) count('relay', `served ${String(served[0])}`);
      else if (isClose) count('relay', 'CLOSE (no answer is due)');
      else throw new Error(`no answer to ${String(message).slice(0, 200)}`);
    }
    socket.close();
    await probe();
  });

  it(`refuses ${COUNTS.api} malformed API bodies with a 4xx JSON error, never a 5xx`, { timeout: 60_000 }, async () => {
    const random = new Random(SEED + 1);
    const url = `${server.url}/api/v1/streams/create`;
    for (let i = 0; i < COUNTS.api; i += 1) {
      if (i % 100 === 0) await probe();
      const [contentType, body] = apiBody(random);
      const path = random.next() < 0.7 ? url : `${server.url}/api/v1/streams/${scratchStream}`;
      const method = path === url ? 'POST' : 'PATCH';
      const response = await fetch(path, {
        method,
        headers: { 'content-type': contentType, authorization: await owner.authHeader(path, method) },
        body,
      });
      const answer = (await response.json().catch(() => undefined)) as { error?: string; message?: string } | undefined;
      expect(response.status, body.slice(0, 200)).toBeLessThan(500);
      if (response.status >= 400) {
        expect(answer?.error, body.slice(0, 200)).toEqual(expect.any(String));
        expect(answer?.message).toEqual(expect.any(String));
      }
      count('api', String(response.status));
    }
  });

  it(`refuses ${COUNTS.nip98} bad NIP-98 headers with 401 and the reason (403 when one happens to be valid)`, { timeout: 60_000 }, async () => {
    const random = new Random(SEED + 2);
    const url = `${server.url}/api/v1/streams/${streams[2]?.id}/start`;
    for (let i = 0; i < COUNTS.nip98; i += 1) {
      const response = await fetch(url, { method: 'POST', headers: { authorization: authHeader(random, url, 'POST') } });
      const answer = (await response.json().catch(() => ({ error: '', message: '' }))) as { error: string; message: string };
      // 431: a header too large for Node's HTTP parser is refused before it reaches us.
      if (response.status === 431) {
        count('nip98', 'header too large (431)');
        continue;
      }
      // A header that happens to be valid authenticates someone who does not own the stream.
      if (response.status === 403) {
        expect(answer.error).toBe('not_owner');
        count('nip98', 'valid, but not the owner (403)');
        continue;
      }
      expect(response.status).toBe(401);
      expect(answer.message.length).toBeGreaterThan(10);
      count('nip98', answer.message.split(/[:;.]/)[0] ?? 'unknown');
    }
  });

  it(`closes ${COUNTS.rtmp} broken RTMP connections and keeps accepting new ones`, { timeout: 90_000 }, async () => {
    const random = new Random(SEED + 3);
    const port = server.app.config.rtmpPort;
    for (let batch = 0; batch < COUNTS.rtmp; batch += 25) {
      await Promise.all(
        Array.from({ length: 25 }, async () => {
          const outcome = await throwAtRtmp(port, rtmpBytes(random));
          count('rtmp', outcome);
          // A broken client that hung up must not keep a socket (and its buffers) on our side.
          expect(outcome).toBe('closed by server');
        }),
      );
      expect(await handshakes(port)).toBe(true);
    }
  });

  it('lost nothing that was stored before', async () => {
    for (const stream of streams) {
      const { status, body } = await server.call<{ title: string }>('GET', `/api/v1/streams/${stream.id}/status`);
      expect(status).toBe(200);
      expect(body.title).toBe(stream.title);
    }
    const relay = await Relay.connect(server.url.replace('http://', 'ws://'));
    const stored = await queryRelay(relay, [{ ids: events }]);
    relay.close();
    expect(stored.map((event) => event.id).sort()).toEqual([...events].sort());
    console.log(`fuzz on ${engine}: nothing lost — ${streams.length} streams and ${events.length} relay events read back intact`);
  });
});

function openSocket(server: TestServer): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(server.url.replace('http://', 'ws://'));
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Sends the message, then a probe REQ; everything that arrives before the probe's EOSE is the answer. */
function sendAndCollect(socket: WebSocket, message: string | Buffer, probeId: string): Promise<unknown[][] | 'closed'> {
  return new Promise((resolve) => {
    const answers: unknown[][] = [];
    const onMessage = (data: WebSocket.RawData) => {
      const parsed = JSON.parse(data.toString()) as unknown[];
      // The probe's EOSE (or its refusal) ends the answer to the fuzz message.
      if ((parsed[0] === 'EOSE' || parsed[0] === 'CLOSED') && parsed[1] === probeId) {
        cleanup();
        socket.send(JSON.stringify(['CLOSE', probeId]));
        // A fuzz REQ that was served stays open; close it so the subscription limit is not what gets tested.
        for (const answer of answers) if (answer[0] === 'EOSE') socket.send(JSON.stringify(['CLOSE', answer[1]]));
        resolve(answers);
        return;
      }
      if (parsed[1] !== probeId) answers.push(parsed);
    };
    const onClose = () => {
      cleanup();
      resolve('closed');
    };
    const cleanup = () => {
      socket.off('message', onMessage);
      socket.off('close', onClose);
    };
    socket.on('message', onMessage);
    socket.on('close', onClose);
    socket.send(message, { binary: Buffer.isBuffer(message) });
    socket.send(JSON.stringify(['REQ', probeId, { ids: ['0'.repeat(64)] }]));
  });
}

/** Writes the bytes, stops writing, and reports how the server ended the connection. */
function throwAtRtmp(port: number, bytes: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('still open after 5 s');
    }, 5_000);
    socket.on('error', () => undefined);
    socket.on('data', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve('closed by server');
    });
    socket.write(bytes, () => socket.end());
  });
}

/** A fresh client still gets S0+S1+S2 for its C0+C1. */
function handshakes(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = 0;
    socket.on('data', (data) => {
      received += data.length;
      if (received >= 1 + 1536 * 2) {
        socket.destroy();
        resolve(true);
      }
    });
    socket.on('error', () => resolve(false));
    socket.write(Buffer.concat([Buffer.from([3]), Buffer.alloc(1536)]));
  });
}
