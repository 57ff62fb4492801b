import { useEffect, useState } from 'react';
import { unixNow } from '../../../../src/protocol/time';
import { clockDuration, spokenDuration } from '../../lib/duration';

/** How long the stream has been live, ticking each second beside the LIVE badge (`1:02:03`, read "Live for 1 hour 2 minutes"). */
export function Uptime({ since }: { since: number }) {
  const [now, setNow] = useState(unixNow);
  useEffect(() => {
    const timer = setInterval(() => setNow(unixNow()), 1000);
    return () => clearInterval(timer);
  }, []);
  const seconds = Math.max(0, now - since);
  // A timer's live region is off by default: its name is there when asked for, not announced every second.
  return (
    <span role="timer" aria-label={`Live for ${spokenDuration(seconds)}`} data-testid="stream-uptime" className="shrink-0 font-mono text-sm tabular-nums text-muted">
      {clockDuration(seconds)}
    </span>
  );
}
