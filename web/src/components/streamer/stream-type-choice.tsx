import { AudioLines, Video } from 'lucide-react';
import { STREAM_TYPES, type StreamType } from '../../../../src/protocol/stream-settings';
import { ChoiceCards } from './choice-cards';

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

/** "Video" or "Audio only" as two radio cards. */
export function StreamTypeChoice({ value, onChange }: { value: StreamType; onChange: (type: StreamType) => void }) {
  const choices = STREAM_TYPES.map((type) => {
    const { label, icon: Icon, hint } = CHOICES[type];
    return {
      value: type,
      hint,
      label: (
        <>
          <Icon className="h-4 w-4" aria-hidden />
          {label}
        </>
      ),
    };
  });
  return <ChoiceCards legend="What are you streaming?" name="stream_type" choices={choices} value={value} onChange={onChange} />;
}
