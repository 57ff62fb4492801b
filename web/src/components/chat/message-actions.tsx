import { Ban, Ellipsis, Flag, Reply, Timer, Trash2, VolumeX, Zap as ZapIcon } from 'lucide-react';
import { useRef } from 'react';
import { displayName, useProfile } from '../../lib/profiles';
import { Button } from '../ui/button';
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuSeparator, DropdownMenuTrigger } from '../ui/dropdown-menu';
import { useZapTarget } from '../zap/zap-dialog';

export const REACTIONS = ['🔥', '❤️', '😂', '👏', '🎉'] as const;

/** What a message's menu asks the chat to do; the ones that act on a person go through a confirmation first. */
export type MessageAction =
  | { readonly type: 'react'; readonly emoji: string }
  | { readonly type: 'reply' | 'zap' | 'report' | 'mute' | 'remove' | 'time-out' | 'ban' };

export interface MessageActionsProps {
  readonly author: string;
  /** The signed-in user wrote it: nothing to zap, report or mute. */
  readonly own: boolean;
  /** Chatters can be zapped here (a public stream whose receipts have somewhere to go). */
  readonly zappable: boolean;
  /** The host's dashboard: remove, time out, ban. */
  readonly moderator: boolean;
  readonly muteReady: boolean;
  /** `opener` is the menu's button, for a dialog to give focus back to. */
  readonly onAction: (action: MessageAction, opener: HTMLButtonElement | null) => void;
}

/**
 * One "More actions" button per message (shown on hover or focus, always in the tab order)
 * instead of a row of icons: react, reply, zap, report, mute, and for moderators remove, time out, ban.
 */
export function MessageActions(props: MessageActionsProps) {
  const trigger = useRef<HTMLButtonElement>(null);
  return (
    // Not modal: a modal menu hides the rest of the page from screen readers while its focusable parts stay focusable.
    <DropdownMenu modal={false}>
      <DropdownMenuTrigger asChild>
        <Button ref={trigger} size="icon" variant="ghost" aria-label="More actions" className="h-7 w-7 pointer-coarse:h-9 pointer-coarse:w-9">
          <Ellipsis className="h-4 w-4" aria-hidden />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        {/* Mounted only while open: a chatter's profile and wallet are looked up when someone means to act on them. */}
        <MenuItems {...props} onAction={(action) => props.onAction(action, trigger.current)} />
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

function MenuItems({ author, own, zappable, moderator, muteReady, onAction }: Omit<MessageActionsProps, 'onAction'> & { onAction: (action: MessageAction) => void }) {
  const { data: profile } = useProfile(author);
  const name = displayName(author, profile);
  return (
    <>
      <div className="flex gap-0.5" role="group" aria-label="React">
        {REACTIONS.map((emoji) => (
          <DropdownMenuItem key={emoji} aria-label={`React ${emoji}`} className="justify-center px-1.5 text-base" onSelect={() => onAction({ type: 'react', emoji })}>
            {emoji}
          </DropdownMenuItem>
        ))}
      </div>
      <DropdownMenuItem onSelect={() => onAction({ type: 'reply' })}>
        <Reply className="h-4 w-4" aria-hidden /> Reply
      </DropdownMenuItem>
      {!own && zappable && <ZapItem author={author} onZap={() => onAction({ type: 'zap' })} />}
      {!own && (
        <>
          <DropdownMenuItem onSelect={() => onAction({ type: 'report' })}>
            <Flag className="h-4 w-4" aria-hidden /> Report
          </DropdownMenuItem>
          <DropdownMenuItem disabled={!muteReady} onSelect={() => onAction({ type: 'mute' })}>
            <VolumeX className="h-4 w-4" aria-hidden /> Mute {name}
          </DropdownMenuItem>
        </>
      )}
      {moderator && (
        <>
          <DropdownMenuSeparator />
          <DropdownMenuItem onSelect={() => onAction({ type: 'remove' })}>
            <Trash2 className="h-4 w-4" aria-hidden /> Remove message
          </DropdownMenuItem>
          {!own && (
            <>
              <DropdownMenuItem onSelect={() => onAction({ type: 'time-out' })}>
                <Timer className="h-4 w-4" aria-hidden /> Time out {name}
              </DropdownMenuItem>
              <DropdownMenuItem onSelect={() => onAction({ type: 'ban' })}>
                <Ban className="h-4 w-4" aria-hidden /> Ban {name}
              </DropdownMenuItem>
            </>
          )}
        </>
      )}
    </>
  );
}

/** Zap the message's author, or why not yet (no lightning address, a wallet that takes no zaps, still looking). */
function ZapItem({ author, onZap }: { author: string; onZap: () => void }) {
  const { name, unavailable } = useZapTarget(author);
  return (
    <DropdownMenuItem disabled={unavailable !== undefined} onSelect={onZap} {...(!unavailable && { 'aria-label': `Zap ${name} for this message` })}>
      <ZapIcon className="h-4 w-4" aria-hidden />
      <span className="min-w-0">
        Zap {name}
        {unavailable && <span className="block text-xs text-muted">{unavailable}</span>}
      </span>
    </DropdownMenuItem>
  );
}
