import { formatCoordinate, parseCoordinate, type Coordinate } from './coordinate.js';
import type { EventTemplate, ReceivedEvent } from './event-template.js';
import { KIND } from './kinds.js';
import { isHexId, isHexPubkey, tagsNamed } from './nostr-event.js';
import { parsed, rejected, type Parsed } from './result.js';

/**
 * NIP-56 report (kind 1984) about a user, or about one of their chat messages, in a
 * stream. The stream's `a` tag lets its host find the reports about their chat.
 *
 *   buildReport({ user: pubkey, message: id, stream: coordinate, reason: 'spam' }, now)
 */
export const REPORT_REASONS = ['nudity', 'malware', 'profanity', 'illegal', 'spam', 'impersonation', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];
export const MAX_REPORT_NOTE = 500;

export interface ReportDraft {
  readonly user: string;
  readonly reason: ReportReason;
  readonly message?: string;
  readonly stream?: Coordinate;
  readonly note?: string;
}

export interface Report extends ReportDraft {
  readonly id: string;
  readonly reporter: string;
  readonly createdAt: number;
}

export function buildReport(draft: ReportDraft, createdAt: number): EventTemplate {
  const tags = [['p', draft.user, draft.reason]];
  if (draft.message) tags.push(['e', draft.message, draft.reason]);
  if (draft.stream) tags.push(['a', formatCoordinate(draft.stream)]);
  return { kind: KIND.report, created_at: createdAt, tags, content: draft.note ?? '' };
}

export function parseReport(event: ReceivedEvent): Parsed<Report> {
  if (event.kind !== KIND.report) return rejected(`kind ${event.kind} is not a report (${KIND.report})`);
  const [pTag] = tagsNamed(event, 'p');
  const user = pTag?.[1];
  if (user === undefined || !isHexPubkey(user)) return rejected('a report needs a p tag naming the reported user');
  const [eTag] = tagsNamed(event, 'e');
  const message = eTag?.[1];
  if (message !== undefined && !isHexId(message)) return rejected('the e tag does not hold a 64-character hex id');
  const reason = eTag?.[2] ?? pTag?.[2] ?? 'other';
  if (!isReportReason(reason)) return rejected(`report reason "${reason}" is not one of ${REPORT_REASONS.join(', ')}`);
  const [aTag] = tagsNamed(event, 'a');
  const stream = aTag?.[1] === undefined ? undefined : parseCoordinate(aTag[1]);
  if (stream && !stream.ok) return stream;
  if (event.content.length > MAX_REPORT_NOTE) return rejected(`the note is longer than ${MAX_REPORT_NOTE} characters`);
  return parsed({
    id: event.id,
    reporter: event.pubkey,
    createdAt: event.created_at,
    user,
    reason,
    ...(message ? { message } : {}),
    ...(stream ? { stream: stream.value } : {}),
    ...(event.content ? { note: event.content } : {}),
  });
}

function isReportReason(value: string): value is ReportReason {
  return (REPORT_REASONS as readonly string[]).includes(value);
}
