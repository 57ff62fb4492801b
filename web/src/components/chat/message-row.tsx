import type { ReactNode } from 'react';
import type { LiveChatMessage } from '../../../../src/protocol/live-chat';
import { UserBadge } from '../avatar';
import { Badge } from '../ui/badge';
import { Linkified } from './linkify';
import type { ChatReaction } from './use-chat';

export type ChatRole = 'host' | 'moderator';

export interface MessageRowProps {
  readonly message: LiveChatMessage;
  /** The message it answers, when shown (not the words of someone muted). */
  readonly parent?: LiveChatMessage;
  readonly role?: ChatRole;
  readonly reactions?: readonly ChatReaction[];
  /** The More actions menu, shown on hover or focus (a tap focuses the row on touch screens). */
  readonly actions?: ReactNode;
}

/**
 * One compact chat line: name (with Host / Mod), then the words on the same line, custom emoji
 * as pictures; its time and actions appear on hover or focus.
 */
export function MessageRow({ message, parent, role, reactions = [], actions }: MessageRowProps) {
  const at = new Date(message.createdAt * 1000);
  return (
    // tabIndex -1: a tap on a touch screen focuses the row, which shows its actions (focus-within).
    <li data-testid="chat-message" tabIndex={-1} className="group relative rounded px-1 py-0.5 text-sm outline-none hover:bg-surface-2 focus-within:bg-surface-2">
      {parent && <p className="truncate border-l-2 border-border pl-2 text-xs text-muted">↪ {parent.content}</p>}
      <p className="break-words">
        <span className="mr-1 inline-flex max-w-full items-center gap-1 align-middle">
          <UserBadge pubkey={message.author} className="max-w-32" />
          {role && <RoleBadge role={role} />}
        </span>
        <Linkified text={message.content} emoji={message.emoji} />
      </p>
      {reactions.length > 0 && <ReactionCounts reactions={reactions} />}
      <div className="absolute right-1 top-0 flex items-center gap-1 rounded bg-surface-2 pl-1 opacity-0 group-hover:opacity-100 group-focus-within:opacity-100">
        <time dateTime={at.toISOString()} title={at.toLocaleString()} className="invisible text-xs text-muted group-hover:visible group-focus-within:visible">
          {at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
        </time>
        {actions}
      </div>
    </li>
  );
}

function RoleBadge({ role }: { role: ChatRole }) {
  return role === 'host' ? (
    <Badge data-testid="role-badge" className="shrink-0 bg-accent px-1.5 py-0 text-accent-foreground">
      Host
    </Badge>
  ) : (
    <Badge data-testid="role-badge" variant="outline" className="shrink-0 px-1.5 py-0 text-foreground" title="Moderator">
      Mod
    </Badge>
  );
}

/** "🔥 2 ❤️ 1" under the message. */
function ReactionCounts({ reactions }: { reactions: readonly ChatReaction[] }) {
  const counts = new Map<string, number>();
  for (const { emoji } of reactions) counts.set(emoji, (counts.get(emoji) ?? 0) + 1);
  return (
    <p className="mt-0.5 flex flex-wrap gap-1 text-xs" data-testid="message-reactions">
      {[...counts].map(([emoji, count]) => (
        <span key={emoji} className="rounded-full border border-border px-1.5">
          {emoji} {count}
        </span>
      ))}
    </p>
  );
}
