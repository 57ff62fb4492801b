import type { LiveChatMessage } from '../../../../src/protocol/live-chat';
import type { Zap } from '../../../../src/protocol/zap';
import type { ChatNotice } from '../../lib/now-playing';

/**
 * The one order of a chat, whatever order relays deliver it in (history and live events
 * arrive interleaved, and many share a second): by `created_at`, then by id, so every viewer
 * sees the same list and a late arrival lands in its place instead of at the bottom.
 *
 *   messages.sort(byTimeThenId);
 *   interleave(messages, zaps, notices).map(render);
 */
export interface Ordered {
  /** Unix seconds. */
  readonly at: number;
  readonly id: string;
}

export const byTimeThenId = (a: Ordered, b: Ordered): number => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export type ChatEntry = { readonly message: LiveChatMessage } | { readonly notice: ChatNotice } | { readonly zap: Zap };

/** Messages, zaps and notices in that order; a notice (nobody wrote it) comes after everything said in its second. */
export function interleave(messages: readonly LiveChatMessage[], zaps: readonly Zap[], notices: readonly ChatNotice[]): ChatEntry[] {
  const timed = [
    ...messages.map((message) => ({ at: message.createdAt, id: message.id, late: 0, entry: { message } })),
    ...zaps.map((zap) => ({ at: zap.paidAt, id: zap.receiptId, late: 0, entry: { zap } })),
    ...notices.map((notice) => ({ at: notice.at, id: notice.id, late: 1, entry: { notice } })),
  ];
  return timed.sort((a, b) => a.at - b.at || a.late - b.late || byTimeThenId(a, b)).map((item) => item.entry);
}
