import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '../ui/select';
import { SPEEDS, speedLabel } from './timeline';
import type { MediaTimeline } from './use-media-timeline';

/**
 * The playback speed of a recording (0.5× to 2×). `container` is the player's frame, so the
 * menu opens inside it in fullscreen (where anything outside the frame is not drawn).
 *
 *   <SpeedMenu timeline={timeline} container={frame.current} />
 */
export function SpeedMenu({ timeline, container }: { timeline: MediaTimeline; container?: HTMLElement | null }) {
  return (
    <Select value={String(timeline.rate)} onValueChange={(value) => timeline.setRate(Number(value))}>
      <SelectTrigger aria-label="Playback speed" className="h-8 w-auto gap-1 border-0 bg-surface-2 px-2 text-xs">
        <SelectValue />
      </SelectTrigger>
      <SelectContent container={container}>
        {SPEEDS.map((speed) => (
          <SelectItem key={speed} value={String(speed)}>
            {speedLabel(speed)}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
