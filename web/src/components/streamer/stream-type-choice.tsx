import { AudioLines, Video } from 'lucide-react';
import { STREAM_TYPES, type StreamType } from '../../../../src/protocol/stream-settings';
import { cn } from '../../lib/cn';

const CHOICES: Record<StreamType, { label: string; icon: typeof Video; hint: string }> = {
  video: { label: 'Video', icon: Video, hint: 'Picture and sound, from a camera, a screen or a game.' },
  audio: {
    label: 'Audio only',
    icon: AudioLines,
    hint: 'Sound only, for music, DJ sets and talk: listeners get a listening player with your cover art instead of a picture.',
  },
};

/** The cover image field's words: for an audio stream the picture is the cover art, and something always stands in for it. */
export const COVER_FIELD: Record<StreamType, { label: string; hint: string }> = {
  video: { label: 'Cover image URL', hint: 'Shown in stream lists and on Nostr clients; without one, a picture of your live stream is used.' },
  audio: {
    label: 'Cover art URL',
    hint: 'The cover art listeners see on the player, in stream lists and on Nostr clients; without one, your profile picture is used, else a card with the stream’s title.',
  },
};

/** "Video" or "Audio only" as two radio cards (native radios, so arrow keys and screen readers work as usual). */
export function StreamTypeChoice({ value, onChange }: { value: StreamType; onChange: (type: StreamType) => void }) {
  return (
    <fieldset className="grid gap-2">
      <legend className="mb-1 text-sm font-medium text-foreground">What are you streaming?</legend>
      <div className="grid gap-2 sm:grid-cols-2">
        {STREAM_TYPES.map((type) => {
          const { label, icon: Icon, hint } = CHOICES[type];
          return (
            <label
              key={type}
              className={cn(
                'flex cursor-pointer gap-3 rounded-md border border-border bg-surface p-3 focus-within:ring-2 focus-within:ring-accent',
                value === type && 'border-accent bg-accent/10',
              )}
            >
              <input
                type="radio"
                name="stream_type"
                value={type}
                checked={value === type}
                onChange={() => onChange(type)}
                // Named by the title alone; the sentence under it is its description.
                aria-labelledby={`stream-type-${type}-label`}
                aria-describedby={`stream-type-${type}-hint`}
                className="mt-1 accent-accent"
              />
              <span className="grid gap-1">
                <span id={`stream-type-${type}-label`} className="flex items-center gap-2 text-sm font-medium">
                  <Icon className="h-4 w-4" aria-hidden />
                  {label}
                </span>
                <span id={`stream-type-${type}-hint`} className="text-xs text-muted">
                  {hint}
                </span>
              </span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
