import { Gauge } from 'lucide-react';
import { DropdownMenu, DropdownMenuContent, DropdownMenuRadioGroup, DropdownMenuRadioItem, DropdownMenuTrigger } from '../ui/dropdown-menu';
import { Button } from '../ui/button';
import { SPEEDS, speedLabel } from './timeline';
import type { MediaTimeline } from './use-media-timeline';

/**
 * The playback speed of a recording (0.5× to 2×). Not modal: the rest of the page stays
 * reachable while it is open. `container` is the player's frame, so the menu opens inside it in
 * fullscreen (where anything outside the frame is not drawn).
 *
 *   <SpeedMenu timeline={timeline} container={frame.current} />
 */
export function SpeedMenu({ timeline, container }: { timeline: MediaTimeline; container?: HTMLElement | null }) {
  const current = speedLabel(timeline.rate);
  return (
    <DropdownMenu modal={false}>
      <DropdownMenuTrigger asChild>
        <Button size="sm" variant="ghost" className="h-8 gap-1 px-2 text-xs tabular-nums" aria-label={`Playback speed ${current}`}>
          <Gauge className="h-4 w-4" aria-hidden />
          {current}
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent container={container} align="end" className="min-w-[6rem]">
        <DropdownMenuRadioGroup value={String(timeline.rate)} onValueChange={(value) => timeline.setRate(Number(value))}>
          {SPEEDS.map((speed) => (
            <DropdownMenuRadioItem key={speed} value={String(speed)}>
              {speedLabel(speed)}
            </DropdownMenuRadioItem>
          ))}
        </DropdownMenuRadioGroup>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
