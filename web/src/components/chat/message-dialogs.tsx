import { useId, useRef, useState, type RefObject } from 'react';
import type { Coordinate } from '../../../../src/protocol/coordinate';
import type { LiveChatMessage } from '../../../../src/protocol/live-chat';
import type { ReportReason } from '../../../../src/protocol/report';
import type { ChatChannel } from '../../lib/chat-channel';
import { displayName, useProfile } from '../../lib/profiles';
import { Label } from '../ui/label';
import { ZapDialog } from '../zap/zap-dialog';
import { ConfirmDialog } from './confirm-dialog';
import { ReportDialog } from './report-dialog';

/** The time-out lengths a host can choose, in minutes. */
export const TIME_OUT_MINUTES = [1, 5, 10, 30, 60] as const;

/** A message's act waiting for its dialog. */
export interface PendingAct {
  readonly type: 'zap' | 'report' | 'mute' | 'time-out' | 'ban';
  readonly message: LiveChatMessage;
}

export interface MessageDialogsProps {
  readonly pending: PendingAct | undefined;
  readonly onClose: () => void;
  /** The More actions button that asked: focus goes back to it. */
  readonly opener: RefObject<HTMLElement | null>;
  readonly stream: Coordinate;
  readonly channel: ChatChannel;
  readonly zapRelays: readonly string[] | undefined;
  readonly onReport: (message: LiveChatMessage, reason: ReportReason) => Promise<void>;
  readonly onMute: (author: string, name: string) => Promise<void>;
  /** `minutes` undefined: for good. */
  readonly onBan: (author: string, minutes?: number) => Promise<void>;
}

/** The confirmation (or the zap) a message's menu asked for; one at a time. */
export function MessageDialogs({ pending, onClose, opener, stream, channel, zapRelays, onReport, onMute, onBan }: MessageDialogsProps) {
  // The last act asked for: a closing dialog keeps its words until it has faded out.
  const last = useRef(pending);
  if (pending) last.current = pending;
  const author = last.current?.message.author ?? '';
  const { data: profile } = useProfile(last.current ? author : undefined);
  const name = displayName(author, profile);
  const [minutes, setMinutes] = useState<number>(10);
  const lengthId = useId();
  const shared = { opener, onOpenChange: (open: boolean) => !open && onClose() };
  const is = (type: PendingAct['type']) => pending?.type === type;
  return (
    <>
      <ReportDialog {...shared} open={is('report')} onReport={(reason) => (last.current ? onReport(last.current.message, reason) : Promise.resolve())} />
      <ConfirmDialog
        {...shared}
        open={is('mute')}
        title={`Mute ${name}?`}
        description="Their messages and reactions disappear from every chat for you (your NIP-51 mute list); you can undo it."
        confirm="Mute"
        onConfirm={() => onMute(author, name)}
      />
      <ConfirmDialog
        {...shared}
        open={is('time-out')}
        title={`Time out ${name}?`}
        description="They can read the chat but not write in it until the time-out ends."
        confirm="Time out"
        onConfirm={() => onBan(author, minutes)}
      >
        <Label htmlFor={lengthId}>Length</Label>
        <select id={lengthId} value={minutes} onChange={(event) => setMinutes(Number(event.target.value))} className="h-10 rounded-md border border-border bg-surface px-3 text-sm">
          {TIME_OUT_MINUTES.map((option) => (
            <option key={option} value={option}>
              {option === 60 ? '1 hour' : `${option} min`}
            </option>
          ))}
        </select>
      </ConfirmDialog>
      <ConfirmDialog
        {...shared}
        open={is('ban')}
        title={`Ban ${name}?`}
        description="They can no longer write in this stream's chat, for good."
        confirm="Ban"
        destructive
        onConfirm={() => onBan(author)}
      />
      {zapRelays && pending?.type === 'zap' && (
        <ZapDialog {...shared} open stream={stream} recipient={author} event={pending.message.id} relays={zapRelays} channel={channel} />
      )}
    </>
  );
}
