import { useRef } from 'react';
import { Cover } from '../cover';
import { PlaybackControls } from '../playback-controls';
import { useHlsPlayback } from '../use-hls';

/**
 * The owner's preview of a stream of sound: its cover art and the sound itself, starting muted
 * like the video preview, since a dashboard playing the stream aloud would feed the streamer's
 * speakers back into OBS (Audio Output Capture) with a delay.
 *
 *   <AudioPreview src={stream.preview_url} covers={[stream.image_url, stream.thumbnail_url]} />
 */
export function AudioPreview({ src, covers }: { src: string; covers: readonly (string | null | undefined)[] }) {
  const audio = useRef<HTMLAudioElement>(null);
  const playback = useHlsPlayback(audio, src, { autoPlay: true, muted: true });
  return (
    <div role="group" aria-label="Preview: sound only" data-testid="audio-preview" className="grid gap-4 rounded-lg border border-border bg-surface p-4 sm:grid-cols-[12rem_1fr]">
      <div className="mx-auto aspect-square w-full max-w-48 overflow-hidden rounded-md bg-surface-2">
        <Cover sources={covers} audio />
      </div>
      <div className="flex min-w-0 flex-col justify-between gap-3">
        <div className="space-y-1 text-sm">
          <p className="font-semibold">Preview: sound only</p>
          <p className="text-muted">Listeners see this cover art. The preview starts muted so your speakers do not play back into OBS; unmute it with headphones on.</p>
        </div>
        {playback.error && <p className="text-sm text-muted">{playback.error}</p>}
        <div className="flex flex-wrap items-center gap-2">
          <PlaybackControls
            playback={playback}
            onTogglePlay={playback.togglePlay}
            qualities={playback.levels.map((level) => ({ value: String(level.index), label: level.name }))}
          />
        </div>
      </div>
      <audio ref={audio} data-testid="preview-audio" muted preload="auto" />
    </div>
  );
}
