/** Viewers over time as a small SVG line chart (no chart library for one line). */
export function ViewersChart({ points }: { points: { timestamp: number; viewers: number }[] }) {
  if (points.length < 2) return <p className="text-sm text-muted">Not enough samples for a chart yet.</p>;
  const width = 600;
  const height = 160;
  const first = points[0]?.timestamp ?? 0;
  const span = Math.max(1, (points.at(-1)?.timestamp ?? 1) - first);
  const peak = Math.max(1, ...points.map((point) => point.viewers));
  const path = points
    .map((point, index) => {
      const x = ((point.timestamp - first) / span) * width;
      const y = height - (point.viewers / peak) * (height - 10);
      return `${index === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
  return (
    <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Viewers over time, peak ${peak}`} className="h-40 w-full" data-testid="viewers-chart">
      <title>Viewers over time</title>
      <path d={path} fill="none" stroke="currentColor" strokeWidth="2" className="text-accent" />
    </svg>
  );
}
