import { describe, expect, it } from 'vitest';
import { ServiceMetrics } from './prometheus.js';

describe('Prometheus metrics', () => {
  it('names public streams in the ingest bitrate and sums private ones without their ids', async () => {
    const rates = new Map([
      ['public-one', 2500],
      ['secret-a', 1000],
      ['secret-b', 500],
    ]);
    const metrics = new ServiceMetrics();
    metrics.observe({
      liveStreams: async () => 3,
      viewers: () => 7,
      ingestKbps: () => rates,
      isPublic: async (streamId) => streamId.startsWith('public'),
      relayConnections: () => 0,
      feedConnections: () => 0,
      databaseReachable: async () => true,
      pendingStatusChanges: () => 0,
    });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^wavlake_ingest_bitrate_kbps\{stream_id="public-one"\} 2500$/m);
    expect(text).toMatch(/^wavlake_ingest_bitrate_kbps\{stream_id="private"\} 1500$/m);
    expect(text).not.toContain('secret');
    expect(text).toMatch(/^wavlake_live_streams 3$/m);
    expect(text).toMatch(/^wavlake_viewers 7$/m);
  });

  it('still answers while the database is unreachable, and says so', async () => {
    const unreachable = () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
    const metrics = new ServiceMetrics();
    metrics.observe({
      liveStreams: unreachable,
      viewers: () => 2,
      ingestKbps: () => new Map([['unknown-stream', 800]]),
      isPublic: unreachable,
      relayConnections: () => 0,
      feedConnections: () => 0,
      databaseReachable: async () => false,
      pendingStatusChanges: () => 3,
    });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^wavlake_database_up 0$/m);
    expect(text).toMatch(/^wavlake_pending_status_changes 3$/m);
    expect(text).toMatch(/^wavlake_viewers 2$/m);
    // A stream the database cannot vouch for is not named.
    expect(text).toMatch(/^wavlake_ingest_bitrate_kbps\{stream_id="private"\} 800$/m);
    expect(text).not.toContain('unknown-stream');
  });
});
