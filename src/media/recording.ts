import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { RECORDING_PLAYLIST } from '../segments/playback-paths.js';

/** `part_003`: the playlist (`.m3u8`) and segment prefix of one ffmpeg run's recording. */
export const recordingPartName = (part: number) => `part_${String(part).padStart(3, '0')}`;
const PART_PLAYLIST = /^part_(\d+)\.m3u8$/;

/**
 * The number the next ffmpeg run records under: one past the highest part already there.
 *
 *   liveArgs(plans, { ...output, recording: { dir, part: await nextRecordingPart(dir) } })
 */
export async function nextRecordingPart(recordingDir: string): Promise<number> {
  const parts = await partNumbers(recordingDir);
  return parts.length === 0 ? 0 : Math.max(...parts) + 1;
}

/**
 * Joins the parts the broadcast was recorded in (one per ffmpeg run: a pause, reconnect or
 * restart starts a new one) into one VOD playlist, with a discontinuity where one part ends
 * and the next begins: players then show the whole broadcast with a seek bar and no live
 * edge. Safe to run twice; false when nothing was recorded.
 *
 *   const url = (await finaliseRecording(store.recordingDir(id))) && `${publicUrl}${playbackPaths.recording(id)}`;
 */
export async function finaliseRecording(recordingDir: string): Promise<boolean> {
  const parts: Segment[][] = [];
  for (const part of (await partNumbers(recordingDir)).sort((a, b) => a - b)) {
    const playlist = await readFile(path.join(recordingDir, `${recordingPartName(part)}.m3u8`), 'utf8');
    const segments = await present(recordingDir, segmentsOf(playlist));
    if (segments.length > 0) parts.push(segments);
  }
  if (parts.length === 0) return false;
  const longest = Math.max(...parts.flat().map((segment) => segment.seconds));
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:6',
    `#EXT-X-TARGETDURATION:${Math.ceil(longest)}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-PLAYLIST-TYPE:VOD',
    '#EXT-X-INDEPENDENT-SEGMENTS',
    ...parts.flatMap((segments, index) => [
      ...(index > 0 ? ['#EXT-X-DISCONTINUITY'] : []),
      ...segments.flatMap((segment) => [segment.extinf, segment.uri]),
    ]),
    '#EXT-X-ENDLIST',
  ];
  await writeFile(path.join(recordingDir, RECORDING_PLAYLIST), `${lines.join('\n')}\n`);
  return true;
}

interface Segment {
  readonly extinf: string;
  readonly seconds: number;
  readonly uri: string;
}

/** The segments of one part's playlist, each with its `#EXTINF` line. */
function segmentsOf(playlist: string): Segment[] {
  const segments: Segment[] = [];
  let extinf: string | undefined;
  for (const line of playlist.split('\n').map((text) => text.trim())) {
    if (line.startsWith('#EXTINF:')) extinf = line;
    else if (extinf && line.length > 0 && !line.startsWith('#')) {
      segments.push({ extinf, seconds: Number.parseFloat(extinf.slice('#EXTINF:'.length)) || 0, uri: line });
      extinf = undefined;
    }
  }
  return segments;
}

/**
 * Only what can be played: a process killed mid-write may list a segment it never finished,
 * and a full disk leaves segments empty.
 */
async function present(dir: string, segments: readonly Segment[]): Promise<Segment[]> {
  const sizes = await Promise.all(segments.map((segment) => stat(path.join(dir, segment.uri)).then((info) => info.size, () => 0)));
  return segments.filter((_segment, index) => (sizes[index] ?? 0) > 0);
}

async function partNumbers(recordingDir: string): Promise<number[]> {
  let names: string[];
  try {
    names = await readdir(recordingDir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const match = PART_PLAYLIST.exec(name);
    return match?.[1] === undefined ? [] : [Number(match[1])];
  });
}
