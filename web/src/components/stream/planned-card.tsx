import { CalendarPlus } from 'lucide-react';
import { useEffect, useState } from 'react';
import { unixNow } from '../../../../src/protocol/time';
import { countdown } from '../../lib/schedule';
import { PlannedStart } from '../discovery/planned-start';
import { Button } from '../ui/button';

export interface PlannedCardProps {
  /** Unix seconds. */
  readonly starts: number;
  /** This service's .ics for the stream; absent for another service's stream. */
  readonly calendarUrl: string | undefined;
}

/**
 * Where the player will be, for a planned stream: when it starts in local time, a countdown
 * ("Starts in 2 h 14 min", then "Starting soon" until the streamer presses Start) and
 * "Add to calendar". The page turns live by itself when the stream does.
 */
export function PlannedCard({ starts, calendarUrl }: PlannedCardProps) {
  const [now, setNow] = useState(unixNow);
  useEffect(() => {
    const timer = setInterval(() => setNow(unixNow()), 10_000);
    return () => clearInterval(timer);
  }, []);
  const left = countdown(starts, now);
  return (
    <div data-testid="planned-card" className="flex aspect-video flex-col items-center justify-center gap-3 rounded-lg bg-surface p-4 text-center">
      <p className="text-sm text-muted">
        <PlannedStart starts={starts} />
      </p>
      {/* A timer's live region is off by default: its name is there when asked for, not announced every ten seconds. */}
      <p role="timer" aria-label={left.spoken} data-testid="countdown" className="text-2xl font-semibold">
        {left.text}
      </p>
      {calendarUrl && (
        <Button asChild variant="secondary">
          <a href={calendarUrl} download>
            <CalendarPlus className="h-4 w-4" aria-hidden /> Add to calendar
          </a>
        </Button>
      )}
    </div>
  );
}
