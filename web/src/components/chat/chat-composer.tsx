import { useId, type FormEvent } from 'react';
import { MAX_CHAT_LENGTH, type LiveChatMessage } from '../../../../src/protocol/live-chat';
import { SignInDialog } from '../sign-in-dialog';
import { Button } from '../ui/button';
import { Input } from '../ui/input';
import { REACTIONS } from './message-actions';

export interface ChatComposerProps {
  readonly chatEnabled: boolean;
  readonly signedIn: boolean;
  readonly replyTo: LiveChatMessage | undefined;
  readonly onCancelReply: () => void;
  /** Resolves once a relay took the message (the input is cleared then), rejects with why not. */
  readonly onSend: (content: string) => Promise<void>;
  readonly onReact: (emoji: string) => void;
  readonly error: string | undefined;
}

/** The chat's foot: why not when chat is off, one "Sign in to chat" when signed out, else reactions to the stream and the message box. */
export function ChatComposer({ chatEnabled, signedIn, replyTo, onCancelReply, onSend, onReact, error }: ChatComposerProps) {
  // The panel mounts twice on the stream page (desktop aside, phone drawer): ids must differ.
  const inputId = useId();
  const send = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const content = String(new FormData(form).get('message') ?? '').trim();
    if (content) void onSend(content).then(() => form.reset(), () => undefined);
  };
  return (
    <footer className="space-y-2 border-t border-border p-3">
      {error && (
        <p role="alert" className="text-xs text-live">
          {error}
        </p>
      )}
      {!chatEnabled ? (
        <p className="text-sm text-muted">Chat is turned off for this stream.</p>
      ) : signedIn ? (
        <>
          <div className="flex gap-1" role="group" aria-label="React">
            {REACTIONS.map((emoji) => (
              <Button key={emoji} size="sm" variant="ghost" aria-label={`React ${emoji}`} onClick={() => onReact(emoji)}>
                {emoji}
              </Button>
            ))}
          </div>
          {replyTo && (
            <p className="flex items-center justify-between text-xs text-muted">
              Replying to “{replyTo.content.slice(0, 40)}”
              <Button size="sm" variant="ghost" onClick={onCancelReply}>
                Cancel
              </Button>
            </p>
          )}
          <form onSubmit={send} className="flex gap-2">
            <label htmlFor={inputId} className="sr-only">
              Message
            </label>
            <Input id={inputId} name="message" placeholder="Say something…" maxLength={MAX_CHAT_LENGTH} autoComplete="off" />
            <Button type="submit">Send</Button>
          </form>
        </>
      ) : (
        // One prompt: the button says it all (a sentence beside it said it twice).
        <div className="flex justify-center">
          <SignInDialog label="Sign in to chat" />
        </div>
      )}
    </footer>
  );
}
