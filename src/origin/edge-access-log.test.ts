import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { captureLogs } from '../../testkit/publishers.js';
import type { Stream } from '../streams/stream.js';
import { countEdgeRequest, listenForEdgeLog, parseEdgeLogLine, type EdgeRequest } from './edge-access-log.js';
import { PlaybackTokens } from './playback-token.js';
import { StreamCache } from './stream-cache.js';
import { ViewerSessions } from './viewer-sessions.js';

const ID = '0b6f3c1e-8d2a-4c5b-9e7f-1a2b3c4d5e6f';
const tokens = new PlaybackTokens(Buffer.alloc(32, 7));

function origin(stream: Partial<Stream> = {}) {
  const viewers = new ViewerSessions();
  const newViewers: string[] = [];
  const streams = new StreamCache(async (id) => (id === ID ? ({ id: ID, status: 'live', visibility: 'public', ...stream } as Stream) : undefined));
  return { streams, tokens, viewers, newViewer: (_id: string, address: string) => newViewers.push(address), newViewers };
}

const request = (fields: Partial<EdgeRequest>): EdgeRequest => ({
  method: 'GET',
  uri: `/hls/${ID}/720p/index.m3u8`,
  sid: '',
  token: '',
  cookie: '',
  address: '198.51.100.7',
  agent: 'Player/1.0',
  status: 200,
  ...fields,
});

describe('parseEdgeLogLine', () => {
  it('reads the JSON of an nginx syslog line and refuses anything else', () => {
    const line = `<190>Dec  3 15:20:01 wavlake: {"method":"GET","uri":"/hls/${ID}/master.m3u8","sid":"","token":"","cookie":"abcdefghijkl","address":"::1","agent":"a \\"quoted\\" agent","status":200}`;
    expect(parseEdgeLogLine(line)).toEqual({ method: 'GET', uri: `/hls/${ID}/master.m3u8`, sid: '', token: '', cookie: 'abcdefghijkl', address: '::1', agent: 'a "quoted" agent', status: 200 });
    expect(parseEdgeLogLine('<190>Dec  3 15:20:01 wavlake: not json')).toBeUndefined();
    expect(parseEdgeLogLine(line.replace('"::1"', '"somewhere"'))).toBeUndefined();
    expect(parseEdgeLogLine(line.replace('"status":200', '"status":"200"'))).toBeUndefined();
  });
});

describe('countEdgeRequest', () => {
  it('counts a session once whether it comes by sid or cookie, and an address-and-browser for a playlist without either', async () => {
    const o = origin();
    await countEdgeRequest(request({ sid: 'session-one' }), o);
    await countEdgeRequest(request({ uri: `/hls/${ID}/720p/part_00003_1.m4s`, sid: 'session-one' }), o);
    await countEdgeRequest(request({ uri: `/hls/${ID}/master.m3u8`, cookie: 'session-one' }), o);
    await countEdgeRequest(request({}), o);
    await countEdgeRequest(request({ uri: `/hls/${ID}/720p/seg_00001.m4s` }), o);
    expect(o.viewers.snapshot(ID).total).toBe(2);
    expect(o.newViewers).toEqual(['198.51.100.7', '198.51.100.7']);
  });

  it("leaves out a new player's first multivariant fetch (its rendition carries the session), the host's preview, HEAD, errors, thumbnails and a stream not live", async () => {
    const o = origin();
    await countEdgeRequest(request({ uri: `/hls/${ID}/master.m3u8` }), o);
    await countEdgeRequest(request({ sid: 'preview-session', token: tokens.issue(ID, 'preview', 3600) }), o);
    await countEdgeRequest(request({ sid: 'head-session', method: 'HEAD' }), o);
    await countEdgeRequest(request({ sid: 'missing-session', status: 404 }), o);
    await countEdgeRequest(request({ sid: 'thumb-session', uri: `/hls/${ID}/thumb.jpg` }), o);
    await countEdgeRequest(request({ sid: 'elsewhere', uri: '/hls/../etc/passwd' }), o);
    expect(o.viewers.snapshot(ID).total).toBe(0);
    const connected = origin({ status: 'connected' });
    await countEdgeRequest(request({ sid: 'early-session' }), connected);
    expect(connected.viewers.snapshot(ID).total).toBe(0);
  });

  it("counts a private stream's viewer only with a valid token", async () => {
    const o = origin({ visibility: 'private' });
    await countEdgeRequest(request({ sid: 'no-token-here' }), o);
    await countEdgeRequest(request({ sid: 'forged-token', token: 'view.zzzz.bad' }), o);
    expect(o.viewers.snapshot(ID).total).toBe(0);
    await countEdgeRequest(request({ sid: 'with-a-token', token: tokens.issue(ID, 'view', 3600) }), o);
    expect(o.viewers.snapshot(ID).total).toBe(1);
  });
});

describe('listenForEdgeLog', () => {
  const send = (port: number, text: string) =>
    new Promise<void>((resolve, reject) => {
      const socket = createSocket('udp4');
      socket.send(text, port, '127.0.0.1', (error) => {
        socket.close();
        if (error) reject(error);
        else resolve();
      });
    });

  it('refuses a port it cannot bind, naming the setting', async () => {
    const taken = await listenForEdgeLog({ host: '127.0.0.1', port: 0 }, { ...origin(), isTrustedSender: () => true, logger: captureLogs().logger });
    try {
      await expect(listenForEdgeLog({ host: '127.0.0.1', port: taken.address.port }, { ...origin(), isTrustedSender: () => true, logger: captureLogs().logger })).rejects.toThrow(
        `EDGE_LOG_LISTEN=127.0.0.1:${taken.address.port}: cannot receive the edge's log there`,
      );
    } finally {
      await taken.close();
    }
  });

  it('counts what trusted senders log and ignores other senders', async () => {
    for (const trusted of [true, false]) {
      const o = origin();
      const logs = captureLogs();
      const log = await listenForEdgeLog({ host: '127.0.0.1', port: 0 }, { ...o, isTrustedSender: () => trusted, logger: logs.logger });
      const warned = () => (logs.text().includes('Ignoring an edge access-log datagram') ? 1 : 0);
      try {
        await send(log.address.port, `<190>Dec  3 15:20:01 wavlake: ${JSON.stringify(request({ sid: 'udp-session' }))}`);
        await expect.poll(() => o.viewers.snapshot(ID).total + warned()).toBe(1);
        expect(o.viewers.snapshot(ID).total).toBe(trusted ? 1 : 0);
      } finally {
        await log.close();
      }
    }
  });
});
