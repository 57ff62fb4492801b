import { formatStartTime } from './start-time';

/**
 * "Planned", and when it starts if the event says (`starts`), in the viewer's local time; the
 * full date and time are in `dateTime` and the tooltip.
 *
 *   <PlannedStart starts={event.starts} />
 */
export function PlannedStart({ starts }: { starts: number | undefined }) {
  if (starts === undefined) return <>Planned</>;
  const date = new Date(starts * 1000);
  return (
    <>
      <span className="sr-only">Planned, starts </span>
      <time dateTime={date.toISOString()} title={date.toLocaleString()}>
        {formatStartTime(starts, new Date())}
      </time>
    </>
  );
}
