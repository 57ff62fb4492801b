/**
 * How far behind the streamer the preview plays ("Latency 1.4 s"), from the playing frame's
 * program date time; nothing while that is unknown.
 *
 *   <LatencyReadout seconds={playback.latencySeconds} />
 */
export function LatencyReadout({ seconds }: { seconds: number | undefined }) {
  if (seconds === undefined) return null;
  return (
    <span data-testid="latency-readout" className="absolute right-3 top-3 rounded bg-black/70 px-2 py-1 text-xs tabular-nums text-white">
      Latency {seconds.toFixed(1)} s
    </span>
  );
}
