import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const RECORDING_PLAYLIST = 'index.m3u8';

/**
 * Turns the recording's growing EVENT playlist into a finished VOD one: players then show
 * the whole broadcast with a seek bar and no live edge. Safe to run twice.
 *
 *   const url = await finaliseRecording(recordingDir) && `${publicUrl}/vod/${id}/index.m3u8`;
 */
export async function finaliseRecording(recordingDir: string): Promise<boolean> {
  const file = path.join(recordingDir, RECORDING_PLAYLIST);
  let playlist: string;
  try {
    playlist = await readFile(file, 'utf8');
  } catch {
    return false;
  }
  if (!playlist.includes('#EXTINF')) return false;
  let finished = playlist.replace('#EXT-X-PLAYLIST-TYPE:EVENT', '#EXT-X-PLAYLIST-TYPE:VOD');
  if (!finished.includes('#EXT-X-PLAYLIST-TYPE:VOD')) finished = finished.replace('#EXTM3U\n', '#EXTM3U\n#EXT-X-PLAYLIST-TYPE:VOD\n');
  if (!finished.includes('#EXT-X-ENDLIST')) finished = `${finished.trimEnd()}\n#EXT-X-ENDLIST\n`;
  if (finished !== playlist) await writeFile(file, finished);
  return true;
}
