import { formatCoordinate, type Coordinate } from './coordinate.js';
import type { Zap } from './zap.js';
import type { EventTemplate, ReceivedEvent } from './event-template.js';
import { KIND } from './kinds.js';
import { tagValue, tagsNamed } from './nostr-event.js';
import { parsed, rejected, type Parsed } from './result.js';

/**
 * NIP-75 zap goals (kind 9041): a target in millisats and a description, counted from the zap
 * receipts on the `relays` the goal names; `closed_at` ends the count.
 *
 *   const template = buildZapGoal({ amountMsats: 200_000, description: 'New mic', relays, stream }, now);
 *   const goal = parseZapGoal(event);
 */
export interface ZapGoalDraft {
  readonly amountMsats: number;
  readonly description: string;
  /** Where the receipts that count towards the goal are read. */
  readonly relays: readonly string[];
  /** The live event the goal is for. */
  readonly stream?: Coordinate;
  /** Unix seconds after which zaps no longer count. */
  readonly closedAt?: number;
}

export interface ZapGoal {
  readonly id: string;
  readonly pubkey: string;
  readonly amountMsats: number;
  readonly description: string;
  readonly relays: readonly string[];
  /** The coordinate text of the live event, when the goal names one. */
  readonly stream?: string;
  readonly closedAt?: number;
  /** When the streamer set it: zaps before it do not count. */
  readonly createdAt: number;
}

/**
 * Where a goal stands. It is open until it is reached (the zap that reaches it closes it, and
 * later zaps no longer count), until its `closed_at`, or until its stream ends, whichever comes first.
 */
export interface GoalProgress {
  readonly targetSats: number;
  readonly raisedSats: number;
  readonly status: 'open' | 'reached' | 'closed';
  /** Unix seconds when it closed (reached, its closed_at, or the stream's end); absent while open. */
  readonly closedAt?: number;
}

export function buildZapGoal(draft: ZapGoalDraft, createdAt: number): EventTemplate {
  const tags: string[][] = [
    ['amount', String(draft.amountMsats)],
    ['relays', ...draft.relays],
    ...(draft.stream ? [['a', formatCoordinate(draft.stream)]] : []),
    ...(draft.closedAt !== undefined ? [['closed_at', String(draft.closedAt)]] : []),
  ];
  return { kind: KIND.zapGoal, created_at: createdAt, tags, content: draft.description };
}

const wholeNumber = (value: string | undefined): number | undefined =>
  value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : undefined;

/** The goal as NIP-75 defines it; `amount` and `relays` are required, so a goal without them is refused. */
export function parseZapGoal(event: ReceivedEvent): Parsed<ZapGoal> {
  if (event.kind !== KIND.zapGoal) return rejected(`kind ${event.kind} is not a zap goal (${KIND.zapGoal})`);
  const amountMsats = wholeNumber(tagValue(event, 'amount'));
  if (amountMsats === undefined || amountMsats <= 0) return rejected('a zap goal needs a positive amount tag in millisats');
  const relays = tagsNamed(event, 'relays').flatMap((tag) => tag.slice(1)).filter((relay) => relay !== '');
  if (relays.length === 0) return rejected('a zap goal needs a relays tag');
  const closedText = tagValue(event, 'closed_at');
  const closedAt = wholeNumber(closedText);
  if (closedText !== undefined && closedAt === undefined) return rejected('closed_at must be a Unix timestamp');
  const stream = tagValue(event, 'a');
  return parsed({
    id: event.id,
    pubkey: event.pubkey,
    amountMsats,
    description: event.content,
    relays,
    ...(stream ? { stream } : {}),
    ...(closedAt !== undefined ? { closedAt } : {}),
    createdAt: event.created_at,
  });
}

/**
 * The goal's progress from valid zaps (`validateZapReceipt`): those to the goal's author paid from
 * its creation until it closes. One rule for the service (API, analytics) and the web app's goal bar.
 *
 *   const progress = goalProgress(goal, zaps, stream.ended_at, unixNow());
 */
export function goalProgress(
  goal: ZapGoal,
  zaps: readonly Pick<Zap, 'recipient' | 'amountMsats' | 'paidAt'>[],
  streamEndedAt: number | null,
  now: number,
): GoalProgress {
  const ends = [goal.closedAt, streamEndedAt ?? undefined].filter((at): at is number => at !== undefined);
  const end = ends.length > 0 ? Math.min(...ends) : undefined;
  const counted = zaps
    .filter((zap) => zap.recipient === goal.pubkey && zap.paidAt >= goal.createdAt && (end === undefined || zap.paidAt <= end))
    .sort((a, b) => a.paidAt - b.paidAt);
  let raisedMsats = 0;
  for (const zap of counted) {
    raisedMsats += zap.amountMsats;
    if (raisedMsats >= goal.amountMsats) {
      return { targetSats: Math.floor(goal.amountMsats / 1000), raisedSats: Math.floor(raisedMsats / 1000), status: 'reached', closedAt: zap.paidAt };
    }
  }
  const base = { targetSats: Math.floor(goal.amountMsats / 1000), raisedSats: Math.floor(raisedMsats / 1000) };
  return end !== undefined && end <= now ? { ...base, status: 'closed', closedAt: end } : { ...base, status: 'open' };
}
