/**
 * The one live stream a load bench measures: created on a running service, a 720p test
 * pattern pushed to it over RTMP, started, and given a few segments in every rendition so a
 * player joining has a window to start in.
 *
 *   const live = await startLoadStream(service, rtmpUrl, 300);
 *   … players on `/hls/${live.streamId}/master.m3u8` …
 *   live.stop();
 */
import { TestUser } from '../../testkit/nostr.js';
import { pushTestPattern } from '../../testkit/publishers.js';
import { callService, type RunningService } from '../../testkit/service-process.js';
import { eventually } from '../../testkit/streams.js';

export interface LoadStream {
  readonly streamId: string;
  stop(): void;
}

/** `ingest`: the RTMP address without the key (`rtmp://127.0.0.1:1935/live`); `seconds`: how long the encoder runs at most. */
export async function startLoadStream(service: RunningService, ingest: string, seconds: number): Promise<LoadStream> {
  const host = new TestUser();
  const created = await callService<{ stream_id: string; stream_key: string }>(service, 'POST', '/api/v1/streams/create', {
    as: host,
    json: { title: 'Load', category: 'tech', quality: '720p', record: false },
  });
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${JSON.stringify(created.body)}`);
  const { stream_id: streamId, stream_key: key } = created.body;
  const encoder = pushTestPattern(`${ingest}/${key}`, { seconds });
  await eventually('the encoder to connect', async () => {
    const status = await callService<{ status: string }>(service, 'GET', `/api/v1/streams/${streamId}/status`, { as: host });
    return status.body.status === 'connected' ? true : undefined;
  }, 30_000);
  const started = await callService(service, 'POST', `/api/v1/streams/${streamId}/start`, { as: host });
  if (started.status !== 200) throw new Error(`start failed: ${started.status} ${JSON.stringify(started.body)}`);
  await eventually('the live playlists', async () => ((await fetch(`${service.url}/hls/${streamId}/master.m3u8`)).ok ? true : undefined), 30_000);
  await new Promise((resolve) => setTimeout(resolve, 8000));
  return { streamId, stop: () => encoder.child.kill('SIGKILL') };
}
