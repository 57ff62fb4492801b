import { useId, useState, type RefObject } from 'react';
import { REPORT_REASONS, type ReportReason } from '../../../../src/protocol/report';
import { Label } from '../ui/label';
import { ConfirmDialog } from './confirm-dialog';

/** Asks why a message is being reported (NIP-56 reasons) before the report is signed. */
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
  const reasonId = useId();
  return (
    <ConfirmDialog
      opener={opener}
      open={open}
      onOpenChange={onOpenChange}
      title="Report this message"
      description="The stream's host sees reports in their dashboard."
      confirm="Send report"
      onConfirm={() => onReport(reason)}
    >
      <Label htmlFor={reasonId}>Reason</Label>
      <select id={reasonId} value={reason} onChange={(event) => setReason(event.target.value as ReportReason)} className="h-10 rounded-md border border-border bg-surface px-3 text-sm">
        {REPORT_REASONS.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </ConfirmDialog>
  );
}
