import { useId, useState, type RefObject } from 'react';
import { REPORT_REASONS, type ReportReason } from '../../../../src/protocol/report';
import { Button } from '../ui/button';
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from '../ui/dialog';
import { Label } from '../ui/label';

/**
 * Asks why a message is being reported (NIP-56 reasons) before the report is signed. It has no
 * trigger of its own (one dialog for every message), so on closing it focuses `opener` instead.
 */
export function ReportDialog({
  opener,
  open,
  onOpenChange,
  onReport,
}: {
  opener: RefObject<HTMLElement | null>;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onReport: (reason: ReportReason) => Promise<void>;
}) {
  const [reason, setReason] = useState<ReportReason>('spam');
  const [error, setError] = useState<string>();
  const reasonId = useId();
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent
        onCloseAutoFocus={(event) => {
          event.preventDefault();
          opener.current?.focus();
        }}
      >
        <DialogHeader>
          <DialogTitle>Report this message</DialogTitle>
          <DialogDescription>The stream's host sees reports in their dashboard.</DialogDescription>
        </DialogHeader>
        <Label htmlFor={reasonId}>Reason</Label>
        <select id={reasonId} value={reason} onChange={(event) => setReason(event.target.value as ReportReason)} className="h-10 rounded-md border border-border bg-surface px-3 text-sm">
          {REPORT_REASONS.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
        {error && <p role="alert" className="text-sm text-live">{error}</p>}
        <Button
          onClick={() =>
            void onReport(reason)
              .then(() => onOpenChange(false))
              .catch((failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)))
          }
        >
          Send report
        </Button>
      </DialogContent>
    </Dialog>
  );
}
