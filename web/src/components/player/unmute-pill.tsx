import { VolumeX } from 'lucide-react';
import { useCoarsePointer } from './use-coarse-pointer';

/**
 * The small "Unmute" pill in the picture's top-left corner while an autoplayed video plays
 * muted: out of the picture's centre, and saying "Tap" only where there is a finger to tap with.
 * It repeats the controls' mute button (the one screen readers and the keyboard reach, with `m`),
 * so it stays out of the accessibility tree and the tab order.
 *
 *   {muted && playing && <UnmutePill onUnmute={toggleMute} />}
 */
export function UnmutePill({ onUnmute }: { onUnmute(): void }) {
  const touch = useCoarsePointer();
  return (
    <button
      type="button"
      aria-hidden
      tabIndex={-1}
      data-testid="unmute-pill"
      onClick={onUnmute}
      className="absolute left-2 top-2 inline-flex items-center gap-1.5 rounded-full bg-black/70 px-2.5 py-1 text-xs font-medium text-white shadow hover:bg-black/85"
    >
      <VolumeX className="h-3.5 w-3.5" aria-hidden />
      {touch ? 'Tap to unmute' : 'Unmute'}
    </button>
  );
}
