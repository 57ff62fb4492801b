import { formatCoordinate, type Coordinate } from './coordinate.js';
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
  });
}
