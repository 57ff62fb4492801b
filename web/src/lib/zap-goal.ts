import { useEffect, useReducer, useState } from 'react';
import { z } from 'zod';
import type { StreamView } from '../../../src/protocol/api-views';
import { liveEventCoordinate } from '../../../src/protocol/coordinate';
import { KIND } from '../../../src/protocol/kinds';
import { unixNow } from '../../../src/protocol/time';
import type { Zap } from '../../../src/protocol/zap';
import { buildZapGoal, goalProgress, parseZapGoal, type GoalProgress, type ZapGoal } from '../../../src/protocol/zap-goal';
import type { Signer } from '../signers/signer';
import { api } from './api';
import type { ChatChannel } from './chat-channel';
import { formatSats } from './sats';

/**
 * A stream's NIP-75 zap goal in the web app: the form's fields, setting one (the Go Live form and
 * the dashboard's Goal card), reading it back, and where it stands.
 *
 *   const input = parseGoalInput(new FormData(form));
 *   if (input.ok && input.value) await setStreamGoal({ stream, signer, channel, relays }, input.value);
 *   const progress = useGoalProgress(useStreamGoal(stream.goal, host, channel), zaps, stream.ended_at);
 */
export const GOAL_FIELDS = { sats: 'goal_sats', description: 'goal_description' } as const;
export type GoalField = (typeof GOAL_FIELDS)[keyof typeof GOAL_FIELDS];

const MAX_DESCRIPTION = 200;
/** 10 BTC: far above any stream's goal, and well inside the 15 digits of millisats a 9041's amount may have. */
const MAX_SATS = 1_000_000_000;
const SATS_ERROR = 'The goal must be a whole number of sats, more than 0.';

const goalInputSchema = z.object({
  sats: z.coerce.number({ error: SATS_ERROR }).int(SATS_ERROR).positive(SATS_ERROR).max(MAX_SATS, `The goal can be at most ${formatSats(MAX_SATS)}.`),
  description: z.string().trim().min(1, 'Say what the goal is for.').max(MAX_DESCRIPTION, `Say what the goal is for in ${MAX_DESCRIPTION} characters or fewer.`),
});
export type GoalInput = z.infer<typeof goalInputSchema>;

export type GoalInputResult =
  | { readonly ok: true; readonly value: GoalInput | undefined }
  | { readonly ok: false; readonly field: GoalField; readonly message: string };

/** The goal fields of a form; both left empty is no goal (`value` undefined) when `optional`. */
export function parseGoalInput(form: FormData, optional = false): GoalInputResult {
  const sats = String(form.get(GOAL_FIELDS.sats) ?? '').trim();
  const description = String(form.get(GOAL_FIELDS.description) ?? '');
  if (optional && sats === '' && description.trim() === '') return { ok: true, value: undefined };
  const parsed = goalInputSchema.safeParse({ sats: sats === '' ? Number.NaN : sats, description });
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, field: issue?.path[0] === 'description' ? GOAL_FIELDS.description : GOAL_FIELDS.sats, message: issue?.message ?? SATS_ERROR };
}

export interface GoalTarget {
  readonly stream: Pick<StreamView, 'stream_id' | 'event_pubkey'>;
  /** The streamer's own: the goal is theirs, not the service's. */
  readonly signer: Signer;
  /** Where the goal is published (the stream's relays). */
  readonly channel: ChatChannel;
  /** Where the receipts that count are read: the goal's `relays` tag. */
  readonly relays: readonly string[];
}

/** Signs the kind 9041 for the stream's coordinate, publishes it, then names it in the stream (its 30311's `goal`). */
export async function setStreamGoal({ stream, signer, channel, relays }: GoalTarget, input: GoalInput): Promise<StreamView> {
  const coordinate = liveEventCoordinate(stream.event_pubkey, stream.stream_id);
  const goal = await signer.signEvent(buildZapGoal({ amountMsats: input.sats * 1000, description: input.description, relays, stream: coordinate }, unixNow()));
  await channel.publish(goal);
  return api<StreamView>(`/api/v1/streams/${stream.stream_id}`, { method: 'PATCH', signer, json: { goal: goal.id } });
}

const MAX_TIMER_MS = 2 ** 31 - 1;

const notSetKey = (streamId: string) => `goal-not-set:${streamId}`;

/**
 * Why the goal asked for in the Go Live form was not set, kept for the dashboard (this tab only):
 * the stream exists, so the streamer lands there and sets it again from the Goal card.
 */
export const goalNotSet = {
  note: (streamId: string, reason: string) => sessionStorage.setItem(notSetKey(streamId), reason),
  read: (streamId: string): string | undefined => sessionStorage.getItem(notSetKey(streamId)) ?? undefined,
  clear: (streamId: string) => sessionStorage.removeItem(notSetKey(streamId)),
};

/** The stream's goal (the 30311's `goal`), believed only when its author is the host. */
export function useStreamGoal(id: string | null | undefined, host: string | undefined, channel: ChatChannel): ZapGoal | undefined {
  const [goal, setGoal] = useState<ZapGoal>();
  useEffect(() => {
    setGoal(undefined);
    if (!id || !host) return;
    return channel.subscribe({ kinds: [KIND.zapGoal], ids: [id] }, (event) => {
      const parsed = parseZapGoal(event);
      if (parsed.ok && parsed.value.id === id && parsed.value.pubkey === host) setGoal(parsed.value);
    });
  }, [id, host, channel.key]);
  return goal;
}

/**
 * Where the goal stands now, by the one rule (`goalProgress`) from the stream's valid zaps; a
 * `closed_at` still ahead closes it on time while the page stays open.
 */
export function useGoalProgress(goal: ZapGoal | undefined, zaps: readonly Zap[], endedAt: number | null): GoalProgress | undefined {
  const [, tick] = useReducer((count: number) => count + 1, 0);
  const progress = goal && goalProgress(goal, zaps, endedAt, unixNow());
  const closesAt = progress?.status === 'open' ? goal?.closedAt : undefined;
  useEffect(() => {
    if (closesAt === undefined) return;
    // Timers longer than 2^31 ms fire at once: a goal closing weeks away is looked at again then.
    const timer = setTimeout(tick, Math.min(MAX_TIMER_MS, Math.max(0, closesAt + 1 - unixNow()) * 1000));
    return () => clearTimeout(timer);
  }, [closesAt]);
  return progress;
}

/** How full the bar is: a reached goal's is full. */
export const goalPercent = (progress: GoalProgress): number =>
  progress.status === 'reached' ? 100 : Math.min(100, Math.floor((progress.raisedSats / progress.targetSats) * 100));

const clock = (at: number) => new Date(at * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** The goal's state in words: "Open", "Goal reached at 21:04", "Goal closed at 21:30". */
export function goalState(progress: GoalProgress): string {
  if (progress.status === 'open') return 'Open';
  const at = progress.closedAt === undefined ? '' : ` at ${clock(progress.closedAt)}`;
  return progress.status === 'reached' ? `Goal reached${at}` : `Goal closed${at}`;
}

/** "100 / 200 sats (50 %)" */
export const goalAmounts = (progress: GoalProgress): string =>
  `${progress.raisedSats.toLocaleString('en-US')} / ${formatSats(progress.targetSats)} (${goalPercent(progress)} %)`;
