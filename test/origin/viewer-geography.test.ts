import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StreamAnalytics } from '../../src/protocol/analytics.js';
import { TestUser } from '../../testkit/nostr.js';
import type { TestServer } from '../../testkit/server.js';
import { useTestServer } from '../../testkit/suites.js';

/** Public addresses and the countries the shipped DB-IP database gives them. */
const VIEWERS = [
  ['8.8.8.8', 'US'],
  ['9.9.9.9', 'US'],
  ['1.1.1.1', 'AU'],
  ['81.2.69.142', 'GB'],
] as const;

async function liveStream(server: TestServer, host: TestUser): Promise<string> {
  const { body } = await server.call<{ stream_id: string; stream_key: string }>('POST', '/api/v1/streams/create', {
    as: host,
    json: { title: 'Around the world', category: 'music' },
  });
  await server.call('POST', '/api/v1/streams/auth', { json: { name: body.stream_key, call: 'publish' } });
  await server.call('POST', `/api/v1/streams/${body.stream_id}/start`, { as: host });
  const folder = path.join(server.dataDir, 'hls', body.stream_id);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'master.m3u8'), '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000\n480p/index.m3u8\n');
  return body.stream_id;
}

/** Each fetch without a cookie is a new viewer session; the proxy says where it came from. */
async function watchFrom(server: TestServer, streamId: string, address: string): Promise<void> {
  const response = await fetch(`${server.url}/hls/${streamId}/master.m3u8`, { headers: { 'X-Forwarded-For': address } });
  expect(response.status).toBe(200);
}

/** The countries analytics report, once as many viewers as expected have been stored. */
async function countriesOnceCounted(server: TestServer, streamId: string, host: TestUser, viewers: number): Promise<StreamAnalytics['countries']> {
  let countries: StreamAnalytics['countries'] = [];
  await expect
    .poll(
      async () => {
        countries = (await server.call<StreamAnalytics>('GET', `/api/v1/streams/${streamId}/analytics`, { as: host })).body.countries;
        return countries.reduce((sum, row) => sum + row.viewers, 0);
      },
      { timeout: 15_000 },
    )
    .toBe(viewers);
  return countries;
}

describe('viewer geography behind a trusted proxy', () => {
  const suite = useTestServer('sqlite', { env: { TRUST_PROXY: 'loopback' } });
  const host = new TestUser();

  it('counts each viewer in the country of the address the proxy forwarded', async () => {
    const streamId = await liveStream(suite.server, host);
    for (const [address] of VIEWERS) await watchFrom(suite.server, streamId, address);
    expect(await countriesOnceCounted(suite.server, streamId, host, VIEWERS.length)).toEqual([
      { country: 'US', viewers: 2 },
      { country: 'AU', viewers: 1 },
      { country: 'GB', viewers: 1 },
    ]);
  });

  it('stores no address: the viewers table holds countries and counts only', async () => {
    const rows = await suite.server.app.database.db.selectFrom('stream_viewer_countries').selectAll().execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(Object.keys(row).sort()).toEqual(['country', 'stream_id', 'viewers']);
    expect(JSON.stringify(rows)).not.toMatch(/8\.8\.8\.8|1\.1\.1\.1/);
  });
});

describe('viewer geography with no trusted proxy', () => {
  const suite = useTestServer('sqlite');
  const host = new TestUser();

  it('ignores X-Forwarded-For: the viewers are where the socket is (here, unknown)', async () => {
    const streamId = await liveStream(suite.server, host);
    for (const [address] of VIEWERS) await watchFrom(suite.server, streamId, address);
    expect(await countriesOnceCounted(suite.server, streamId, host, VIEWERS.length)).toEqual([{ country: 'ZZ', viewers: VIEWERS.length }]);
  });
});
