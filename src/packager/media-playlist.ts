/**
 * A rendition's LL-HLS media playlist (RFC 8216bis): the model the packager keeps, the text it
 * writes, and the reading of a playlist an earlier process wrote, so a restarted service
 * continues the same sequence numbers.
 *
 *   const text = renderMediaPlaylist({ segments, open, nextPart, reports, ... });
 *   const earlier = parseMediaPlaylist(textOnDisk);   // segments only: parts do not outlive their process
 */
export interface Part {
  readonly uri: string;
  readonly durationSeconds: number;
  readonly independent: boolean;
}

export interface Segment {
  readonly msn: number;
  readonly uri: string;
  readonly durationSeconds: number;
  /** The init segment (EXT-X-MAP) its fragments decode with. */
  readonly mapUri: string;
  /** The first segment of an ffmpeg run after the stream's first: timestamps and init segment start over. */
  readonly discontinuity: boolean;
  readonly programDateTime: Date;
  /** Listed while the segment is near the live edge; empty once it is older. */
  readonly parts: readonly Part[];
}

/** The segment being written: its parts so far. */
export interface OpenSegment {
  readonly msn: number;
  readonly mapUri: string;
  readonly discontinuity: boolean;
  readonly programDateTime: Date;
  readonly parts: readonly Part[];
}

export interface RenditionReport {
  /** Relative to this playlist: `../480p/index.m3u8`. */
  readonly uri: string;
  readonly lastMsn: number;
  readonly lastPart: number;
}

export interface MediaPlaylist {
  readonly targetDurationSeconds: number;
  readonly partTargetSeconds: number;
  /** Closed segments, oldest first: the live window. */
  readonly segments: readonly Segment[];
  /** Discontinuities that left the window before the first listed segment. */
  readonly discontinuitySequence: number;
  readonly open: OpenSegment | undefined;
  /** The part the writer will write next: the preload hint. */
  readonly nextPartUri: string | undefined;
  readonly reports: readonly RenditionReport[];
}

/** How far behind the edge a player starts: three part targets, as Apple recommends. */
export const PART_HOLD_BACK_TARGETS = 3;

export function renderMediaPlaylist(playlist: MediaPlaylist): string {
  const first = playlist.segments[0] ?? playlist.open;
  const partTarget = playlist.partTargetSeconds;
  const lines = [
    '#EXTM3U',
    // 6, the lowest with EXT-X-MAP in a media playlist: players that predate LL-HLS skip its tags and play the segments.
    '#EXT-X-VERSION:6',
    `#EXT-X-TARGETDURATION:${playlist.targetDurationSeconds}`,
    `#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=${seconds(partTarget * PART_HOLD_BACK_TARGETS)}`,
    `#EXT-X-PART-INF:PART-TARGET=${seconds(partTarget)}`,
    `#EXT-X-MEDIA-SEQUENCE:${first?.msn ?? 0}`,
    ...(playlist.discontinuitySequence > 0 ? [`#EXT-X-DISCONTINUITY-SEQUENCE:${playlist.discontinuitySequence}`] : []),
    '#EXT-X-INDEPENDENT-SEGMENTS',
  ];
  let map: string | undefined;
  const header = (segment: Segment | OpenSegment) => {
    if (segment.discontinuity) lines.push('#EXT-X-DISCONTINUITY');
    if (segment.mapUri !== map) lines.push(`#EXT-X-MAP:URI="${segment.mapUri}"`);
    map = segment.mapUri;
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${segment.programDateTime.toISOString()}`);
  };
  for (const segment of playlist.segments) {
    header(segment);
    for (const part of segment.parts) lines.push(partLine(part));
    lines.push(`#EXTINF:${seconds(segment.durationSeconds)},`, segment.uri);
  }
  if (playlist.open) {
    header(playlist.open);
    for (const part of playlist.open.parts) lines.push(partLine(part));
  }
  if (playlist.nextPartUri !== undefined) lines.push(`#EXT-X-PRELOAD-HINT:TYPE=PART,URI="${playlist.nextPartUri}"`);
  for (const report of playlist.reports) {
    lines.push(`#EXT-X-RENDITION-REPORT:URI="${report.uri}",LAST-MSN=${report.lastMsn},LAST-PART=${report.lastPart}`);
  }
  return `${lines.join('\n')}\n`;
}

function partLine(part: Part): string {
  return `#EXT-X-PART:DURATION=${seconds(part.durationSeconds)},URI="${part.uri}"${part.independent ? ',INDEPENDENT=YES' : ''}`;
}

/** Three decimals, rounded up: a duration written shorter than it is would break "no part over PART-TARGET". */
function seconds(value: number): string {
  return (Math.ceil(value * 1000 - 1e-6) / 1000).toFixed(3);
}

export interface ParsedPlaylist {
  readonly segments: readonly Segment[];
  readonly discontinuitySequence: number;
}

/**
 * The closed segments of a playlist this packager wrote (or ffmpeg's hls muxer before it, whose
 * playlists have the same tags): what a restarted process continues from. Parts are left out:
 * their writer is gone, and the next run starts a new segment after a discontinuity.
 */
export function parseMediaPlaylist(text: string): ParsedPlaylist {
  const segments: Segment[] = [];
  let msn = Number(/^#EXT-X-MEDIA-SEQUENCE:(\d+)/m.exec(text)?.[1] ?? 0);
  const discontinuitySequence = Number(/^#EXT-X-DISCONTINUITY-SEQUENCE:(\d+)/m.exec(text)?.[1] ?? 0);
  let map = '';
  let duration: number | undefined;
  let discontinuity = false;
  let programDateTime: Date | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#EXT-X-MAP:')) map = /URI="([^"]*)"/.exec(line)?.[1] ?? map;
    else if (line === '#EXT-X-DISCONTINUITY') discontinuity = true;
    else if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) programDateTime = new Date(line.slice('#EXT-X-PROGRAM-DATE-TIME:'.length));
    else if (line.startsWith('#EXTINF:')) duration = Number.parseFloat(line.slice('#EXTINF:'.length));
    else if (line !== '' && !line.startsWith('#') && duration !== undefined) {
      const previous = segments.at(-1);
      const start = programDateTime ?? (previous ? new Date(previous.programDateTime.getTime() + previous.durationSeconds * 1000) : new Date(0));
      segments.push({ msn, uri: line, durationSeconds: duration, mapUri: map, discontinuity, programDateTime: start, parts: [] });
      msn += 1;
      duration = undefined;
      discontinuity = false;
      programDateTime = undefined;
    }
  }
  return { segments, discontinuitySequence };
}
