import { z } from 'zod';

/**
 * LL-HLS blocking playlist reload (RFC 8216bis, "Blocking Playlist Reload"), read from the
 * playlist text alone so it works for any writer and on any node that sees the files:
 * what a request asks for (`_HLS_msn`, `_HLS_part`) and whether a playlist already has it.
 *
 *   const ask = parseBlockingQuery(request.query);     // { ok: true, request: { msn: 12, part: 3 } }
 *   if (isSatisfied(mediaPlaylistState(text), ask.request)) answer now; else hold
 */
export interface BlockingRequest {
  readonly msn: number;
  readonly part: number | undefined;
}

export type BlockingQuery =
  | { readonly ok: true; readonly request: BlockingRequest | undefined }
  | { readonly ok: false; readonly message: string };

const directive = z.string().regex(/^\d{1,9}$/).transform(Number);
// Built once: a zod schema made per request is compiled per request.
const directivesSchema = z.object({ _HLS_msn: z.unknown().optional(), _HLS_part: z.unknown().optional() }).loose();

export function parseBlockingQuery(query: unknown): BlockingQuery {
  const raw = directivesSchema.parse(query ?? {});
  if (raw._HLS_msn === undefined && raw._HLS_part === undefined) return { ok: true, request: undefined };
  const msn = directive.safeParse(raw._HLS_msn);
  if (!msn.success) return { ok: false, message: '_HLS_msn must be a media sequence number (a non-negative integer), and _HLS_part needs it.' };
  if (raw._HLS_part === undefined) return { ok: true, request: { msn: msn.data, part: undefined } };
  const part = directive.safeParse(raw._HLS_part);
  if (!part.success) return { ok: false, message: '_HLS_part must be a part index (a non-negative integer).' };
  return { ok: true, request: { msn: msn.data, part: part.data } };
}

export interface MediaPlaylistState {
  /** The sequence number of the segment being written: the one after the last closed segment. */
  readonly openMsn: number;
  /** Parts of the open segment listed so far. */
  readonly openParts: number;
  readonly targetDurationSeconds: number;
  readonly partTargetSeconds: number | undefined;
  readonly ended: boolean;
  /** The preload hint's URI, without any query. */
  readonly preloadHint: string | undefined;
}

export function mediaPlaylistState(text: string): MediaPlaylistState {
  const lines = text.split('\n').map((line) => line.trim());
  const number = (tag: string) => {
    const line = lines.find((entry) => entry.startsWith(tag));
    return line === undefined ? undefined : Number.parseFloat(line.slice(tag.length));
  };
  let segments = 0;
  let openParts = 0;
  for (const line of lines) {
    if (line.startsWith('#EXT-X-PART:')) openParts += 1;
    else if (line !== '' && !line.startsWith('#')) {
      segments += 1;
      openParts = 0;
    }
  }
  const partTarget = /^#EXT-X-PART-INF:.*PART-TARGET=([\d.]+)/m.exec(text)?.[1];
  const hint = /^#EXT-X-PRELOAD-HINT:.*TYPE=PART.*URI="([^"?]*)/m.exec(text)?.[1];
  return {
    openMsn: (number('#EXT-X-MEDIA-SEQUENCE:') ?? 0) + segments,
    openParts,
    targetDurationSeconds: number('#EXT-X-TARGETDURATION:') ?? 2,
    partTargetSeconds: partTarget === undefined ? undefined : Number(partTarget),
    ended: lines.includes('#EXT-X-ENDLIST'),
    preloadHint: hint,
  };
}

/** The playlist holds what was asked for: segment `msn` closed, or part `part` of it listed (or the stream is over). */
export function isSatisfied(state: MediaPlaylistState, request: BlockingRequest): boolean {
  if (state.ended || request.msn < state.openMsn) return true;
  return request.part !== undefined && request.msn === state.openMsn && request.part < state.openParts;
}

/** The spec's 400: further ahead than the last segment plus two. */
export function isTooFarAhead(state: MediaPlaylistState, request: BlockingRequest): boolean {
  return request.msn > state.openMsn - 1 + 2;
}

/** How long a request is held at most: the spec's three target durations. */
export function holdLimitMs(state: MediaPlaylistState): number {
  return Math.round(3 * state.targetDurationSeconds * 1000);
}
