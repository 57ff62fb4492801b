import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseMediaPlaylist, renderMediaPlaylist } from '../packager/media-playlist.js';
import { MASTER_PLAYLIST, RENDITION_NAME, RENDITION_PLAYLIST } from '../segments/playback-paths.js';
import type { SegmentStore } from '../segments/segment-store.js';
import { HANDOVER_HEADER, NODE_HEADER, type ClusterNode } from './node.js';

export interface HandoverOptions {
  readonly self: ClusterNode;
  readonly segments: SegmentStore;
  /** The whole copy gives up after this: the encoder is waiting, a fresh window is better than none. */
  readonly timeoutMs?: number;
}

/** A segment or init file the packager writes (`seg_00012.m4s`, `init_3.mp4`): nothing else is fetched or written. */
const MEDIA_FILE = /^[A-Za-z0-9_-]{1,64}\.(m4s|mp4|ts|aac)$/;

/**
 * The encoder moved to this node mid-stream (it reconnected here within the grace period):
 * the stream's live window is copied from the node that held it, so this node's packager
 * continues it (`RenditionPackager.load`) as it would after a restart: the same media
 * sequence, this node's first segment after an EXT-X-DISCONTINUITY. Players on either node
 * keep reloading the same playlists and see the next segments appear after the gap.
 *
 * What is copied per rendition: its closed segments and their init files, then the playlist
 * rendered without the LL-HLS parts (their files are not copied; the first part written
 * here brings parts back). The multivariant playlist comes along, so it is served at once.
 *
 *   const copied = await copyLiveWindow(previousHolder, streamId, { self, segments });   // files copied
 */
export async function copyLiveWindow(from: ClusterNode, streamId: string, options: HandoverOptions): Promise<number> {
  const signal = AbortSignal.timeout(options.timeoutMs ?? 8000);
  const base = `${from.url}/hls/${streamId}/`;
  const get = async (relative: string): Promise<Response> => {
    const response = await fetch(new URL(relative, base), { headers: { [NODE_HEADER]: options.self.id, [HANDOVER_HEADER]: '1' }, signal });
    if (!response.ok) throw new Error(`${from.id} answered ${response.status} for ${relative}`);
    return response;
  };
  const master = await (await get(MASTER_PLAYLIST)).text();
  const dir = options.segments.liveDir(streamId);
  let copied = 0;
  for (const rendition of renditionsOf(master)) {
    const text = await (await get(`${rendition}/${RENDITION_PLAYLIST}`)).text();
    const { segments, discontinuitySequence } = parseMediaPlaylist(text);
    const files = new Set(segments.flatMap((segment) => [segment.mapUri, segment.uri]));
    if ([...files].some((name) => !MEDIA_FILE.test(name))) throw new Error(`${from.id} lists a file this node would not write in ${rendition}`);
    await mkdir(path.join(dir, rendition), { recursive: true });
    for (const name of files) {
      await writeWhole(path.join(dir, rendition, name), Buffer.from(await (await get(`${rendition}/${name}`)).arrayBuffer()));
      copied += 1;
    }
    const playlist = renderMediaPlaylist({
      targetDurationSeconds: Number(/^#EXT-X-TARGETDURATION:(\d+)/m.exec(text)?.[1] ?? 2),
      partTargetSeconds: Number(/^#EXT-X-PART-INF:PART-TARGET=([\d.]+)/m.exec(text)?.[1] ?? 0.5),
      segments,
      discontinuitySequence,
      open: undefined,
      nextPartUri: undefined,
      reports: [],
    });
    // Last: the packager continues from the playlist, which must only list files that are here.
    await writeWhole(path.join(dir, rendition, RENDITION_PLAYLIST), playlist);
  }
  await options.segments.writeLive(streamId, MASTER_PLAYLIST, master);
  return copied;
}

/** The rendition folders a multivariant playlist names, as lines (`720p/index.m3u8`) or in EXT-X-MEDIA's URI. */
function renditionsOf(master: string): string[] {
  const uris = master.split('\n').flatMap((line) => {
    const trimmed = line.trim();
    if (trimmed === '') return [];
    if (!trimmed.startsWith('#')) return [trimmed];
    return [...trimmed.matchAll(/URI="([^"]*)"/g)].map((match) => match[1] ?? '');
  });
  const names = uris.map((uri) => uri.split('?')[0]?.split('/') ?? []).flatMap((parts) => (parts.length === 2 && parts[1] === RENDITION_PLAYLIST ? [parts[0] ?? ''] : []));
  return [...new Set(names)].filter((name) => RENDITION_NAME.test(name));
}

async function writeWhole(file: string, content: Buffer | string): Promise<void> {
  await writeFile(`${file}.tmp`, content);
  await rename(`${file}.tmp`, file);
}
