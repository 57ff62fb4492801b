import { localInputValue } from '../../lib/schedule';
import { unixNow } from '../../../../src/protocol/time';
import { Input } from '../ui/input';
import { FieldError, Label } from '../ui/label';

/** The form field's name; `unixFromLocalInput(form.get(START_TIME_FIELD))` reads it. */
export const START_TIME_FIELD = 'starts_at';

export interface StartTimeFieldProps {
  readonly id?: string;
  readonly error: string | undefined;
  /** The planned start already set (Unix seconds), for a form that changes it. */
  readonly value?: number | null;
}

/**
 * "Planned start": a date and time in the streamer's own time zone, optional. Viewers see a
 * countdown and can add it to their calendar; going live is still the encoder plus Start.
 */
export function StartTimeField({ id = 'starts-at', error, value }: StartTimeFieldProps) {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <div className="grid gap-1">
      <Label htmlFor={id}>Planned start (optional)</Label>
      <Input
        id={id}
        name={START_TIME_FIELD}
        type="datetime-local"
        min={localInputValue(unixNow())}
        defaultValue={value ? localInputValue(value) : ''}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint ${id}-error`}
      />
      <p id={`${id}-hint`} className="text-xs text-muted">
        Your local time ({zone}). Viewers see a countdown and can add it to their calendar; you still go live from the dashboard.
      </p>
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}
