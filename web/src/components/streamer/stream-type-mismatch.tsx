import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { StreamType, StreamView } from '../../../../src/protocol/api-views';
import { api, ApiError } from '../../lib/api';
import { useSession } from '../../lib/session';
import { Button } from '../ui/button';

const WORDS: Record<StreamType, { says: string; switchTo: string }> = {
  audio: {
    says: 'Your encoder is sending sound only, but this stream is set up as a video stream. Viewers get the listening player either way; as an audio stream, its card in stream lists and on Nostr clients shows your cover art instead of an empty picture.',
    switchTo: 'Switch to audio stream',
  },
  video: {
    says: 'Your encoder is sending a picture, but this stream is set up as audio only. Viewers get the video player; switch it to a video stream, or remove the picture sources from your OBS scene to send sound only.',
    switchTo: 'Switch to video stream',
  },
};

/**
 * Says so when what the encoder sends is not what the stream says it is, and offers to change
 * the stream's type to match (the ladder already follows the encoder; the type sets the player and the 30311).
 */
export function StreamTypeMismatch({ stream, sending }: { stream: StreamView; sending: StreamType | null | undefined }) {
  const { signer } = useSession();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  if (!sending || sending === stream.stream_type || stream.status === 'ended') return null;
  const switchType = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api(`/api/v1/streams/${stream.stream_id}`, { method: 'PATCH', signer, json: { stream_type: sending } });
      await queryClient.invalidateQueries({ queryKey: ['stream', stream.stream_id] });
    } catch (failure) {
      setError(`The stream type was not changed: ${failure instanceof ApiError ? failure.message : String(failure)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div role="status" data-testid="stream-type-mismatch" className="grid gap-2 rounded-md border border-warning/40 bg-warning/10 p-3 text-sm">
      <p className="text-foreground">{WORDS[sending].says}</p>
      <div>
        <Button variant="secondary" size="sm" disabled={busy} onClick={() => void switchType()}>
          {WORDS[sending].switchTo}
        </Button>
      </div>
      {error && (
        <p role="alert" className="text-live">
          {error}
        </p>
      )}
    </div>
  );
}
