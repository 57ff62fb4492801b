import { useState, type ReactNode, type RefObject } from 'react';
import { Button } from '../ui/button';
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from '../ui/dialog';

export interface ConfirmDialogProps {
  /** The button that opened it (a message's More actions): it has no trigger of its own, so focus goes back there. */
  readonly opener: RefObject<HTMLElement | null>;
  readonly open: boolean;
  readonly onOpenChange: (open: boolean) => void;
  readonly title: string;
  readonly description: ReactNode;
  readonly confirm: string;
  readonly destructive?: boolean;
  /** Runs on confirming; the dialog closes when it resolves and shows why when it rejects. */
  readonly onConfirm: () => Promise<unknown>;
  /** Choices asked before confirming (a report's reason, a time-out's length). */
  readonly children?: ReactNode;
}

/**
 * "Are you sure?" before an act on someone (report, mute, time out, ban): one dialog per kind of
 * act serves every message, with Cancel and the act's own verb.
 *
 *   <ConfirmDialog opener={menuButton} open={open} onOpenChange={setOpen} title="Ban Sam?" confirm="Ban" destructive onConfirm={ban} />
 */
export function ConfirmDialog({ opener, open, onOpenChange, title, description, confirm, destructive, onConfirm, children }: ConfirmDialogProps) {
  const [error, setError] = useState<string>();
  const [working, setWorking] = useState(false);
  const run = () => {
    setError(undefined);
    setWorking(true);
    void onConfirm()
      .then(() => onOpenChange(false))
      .catch((failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)))
      .finally(() => setWorking(false));
  };
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) setError(undefined);
        onOpenChange(next);
      }}
    >
      <DialogContent
        onCloseAutoFocus={(event) => {
          event.preventDefault();
          opener.current?.focus();
        }}
      >
        <DialogHeader>
          <DialogTitle>{title}</DialogTitle>
          <DialogDescription>{description}</DialogDescription>
        </DialogHeader>
        {children}
        {error && (
          <p role="alert" className="text-sm text-live">
            {error}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <Button variant="ghost" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button variant={destructive ? 'destructive' : 'default'} disabled={working} onClick={run}>
            {confirm}
          </Button>
        </div>
      </DialogContent>
    </Dialog>
  );
}
