import { useEffect, useRef, useState } from 'react';
import { clockDuration } from '../../lib/duration';

const HEIGHT = 200;
/** Room for the tick labels and the axis titles around the plot. */
const LEFT = 48;
const BOTTOM = 40;
const TOP = 10;
const RIGHT = 12;

/**
 * Viewers over time as a small SVG line chart (no chart library for one line), with both axes
 * labelled: viewers (0, half the peak, the peak) up the side, time into the stream along the
 * bottom. `start` is the stream's start (the first sample's time when unknown).
 */
export function ViewersChart({ points, start }: { points: { timestamp: number; viewers: number }[]; start?: number | null }) {
  // Drawn at the box's own width, so the axis labels stay readable on a phone instead of shrinking with a fixed viewBox.
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(600);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(240, Math.round(entry.contentRect.width)));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return (
    <div ref={box} className="w-full">
      {points.length < 2 ? <p className="text-sm text-muted">Not enough samples for a chart yet.</p> : <Chart points={points} start={start} width={width} />}
    </div>
  );
}

/** The chart drawn `width` units wide, one unit a CSS pixel. */
function Chart({ points, start, width }: { points: { timestamp: number; viewers: number }[]; start?: number | null; width: number }) {
  const first = start ?? points[0]?.timestamp ?? 0;
  const last = points.at(-1)?.timestamp ?? first;
  const span = Math.max(1, last - first);
  const peak = Math.max(1, ...points.map((point) => point.viewers));
  const plotWidth = width - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const x = (timestamp: number) => LEFT + ((timestamp - first) / span) * plotWidth;
  const y = (viewers: number) => TOP + plotHeight - (viewers / peak) * plotHeight;
  const path = points.map((point, index) => `${index === 0 ? 'M' : 'L'}${x(point.timestamp).toFixed(1)},${y(point.viewers).toFixed(1)}`).join(' ');
  const viewerTicks = [...new Set([0, Math.round(peak / 2), peak])];
  const timeTicks = [0, span / 2, span].map((offset) => Math.round(offset));
  return (
    <svg
      viewBox={`0 0 ${width} ${HEIGHT}`}
      role="img"
      aria-label={`Viewers over time: peak ${peak}, over ${clockDuration(span)} of the stream`}
      className="h-[200px] w-full text-muted"
      data-testid="viewers-chart"
    >
      <title>Viewers over time</title>
      <g fontSize="11" fill="currentColor">
        {viewerTicks.map((tick) => (
          <g key={`v${tick}`}>
            <line x1={LEFT} x2={width - RIGHT} y1={y(tick)} y2={y(tick)} stroke="currentColor" strokeOpacity="0.2" />
            <text x={LEFT - 6} y={y(tick) + 4} textAnchor="end" data-testid="chart-viewer-tick">
              {tick}
            </text>
          </g>
        ))}
        {timeTicks.map((offset, index) => (
          <text key={`t${index}`} x={x(first + offset)} y={TOP + plotHeight + 16} textAnchor={index === 0 ? 'start' : index === 2 ? 'end' : 'middle'} data-testid="chart-time-tick">
            {clockDuration(offset)}
          </text>
        ))}
        <text x={LEFT + plotWidth / 2} y={HEIGHT - 4} textAnchor="middle" data-testid="chart-x-label">
          Time into the stream (min:s)
        </text>
        <text transform={`translate(12 ${TOP + plotHeight / 2}) rotate(-90)`} textAnchor="middle" data-testid="chart-y-label">
          Viewers
        </text>
      </g>
      <line x1={LEFT} x2={LEFT} y1={TOP} y2={TOP + plotHeight} stroke="currentColor" />
      <line x1={LEFT} x2={width - RIGHT} y1={TOP + plotHeight} y2={TOP + plotHeight} stroke="currentColor" />
      <path d={path} fill="none" stroke="currentColor" strokeWidth="2" className="text-accent" />
    </svg>
  );
}
