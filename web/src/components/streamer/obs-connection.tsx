import { RefreshCw } from 'lucide-react';
import { useState } from 'react';
import { api, ApiError } from '../../lib/api';
import type { StreamKeyView, StreamView } from '../../../../src/protocol/api-views';
import { useSession } from '../../lib/session';
import { Button } from '../ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '../ui/card';
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from '../ui/dialog';
import { CopyField } from '../copy-field';

const CONNECT = 'In OBS open Settings → Stream, choose Service “Custom…”, paste the Server and the Stream key.';
const START = 'Press “Start Streaming” in OBS: this page shows “Connected” within seconds, then press “Start broadcast” here.';

const VIDEO_STEPS = [
  CONNECT,
  'Settings → Output (Advanced): encoder x264, bitrate 2500 kbps, keyframe interval 2 s.',
  'Settings → Audio: 48 kHz; Output → Audio bitrate 128 kbps (AAC).',
  'Settings → Video: 1920×1080 (or 1280×720) at 30 fps.',
  START,
];

// Sound only: a scene without a picture source makes OBS send no video, and listeners get the audio ladder.
const AUDIO_STEPS = [
  'Make a scene with only an audio source: Audio Input Capture (microphone, mixer), Audio Output Capture (what your computer plays) or a Media Source; no camera is needed. If you want a picture anyway, add a still Image source (OBS then sends it as video).',
  CONNECT,
  'Settings → Output: Audio bitrate 128–320 kbps (AAC); 192 kbps suits most music.',
  'Settings → Audio: Sample rate 48 kHz.',
  START,
];

/** Server URL and stream key for OBS, the key masked until revealed, and the recommended settings (sound-only ones for an audio stream). */
export function ObsConnection({ stream }: { stream: StreamView }) {
  const { signer } = useSession();
  const storageKey = `stream-key:${stream.stream_id}`;
  const [key, setKey] = useState(() => sessionStorage.getItem(storageKey));
  const [confirm, setConfirm] = useState(false);
  const [error, setError] = useState<string>();
  const regenerate = async () => {
    setError(undefined);
    try {
      const answer = await api<StreamKeyView>(`/api/v1/streams/${stream.stream_id}/key`, { method: 'POST', signer });
      sessionStorage.setItem(storageKey, answer.stream_key);
      setKey(answer.stream_key);
      setConfirm(false);
    } catch (failure) {
      // The old key still works when this fails: say so rather than closing as if it had worked.
      setError(`${failure instanceof ApiError ? failure.message : String(failure)} The current key still works.`);
    }
  };
  return (
    <Card>
      <CardHeader>
        <CardTitle>Connect OBS</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-4">
        <CopyField id="rtmp-server" label="Server" value={stream.rtmp_ingest} />
        {key ? (
          <CopyField id="stream-key" label="Stream key" value={key} secret />
        ) : (
          <p className="text-sm text-muted">The stream key is only shown once. Regenerate it to see a new one.</p>
        )}
        <Dialog open={confirm} onOpenChange={setConfirm}>
          {/* The button is the dialog's trigger, so closing the dialog gives focus back to it. */}
          <DialogTrigger asChild>
            <Button variant="outline">
              <RefreshCw className="h-4 w-4" aria-hidden /> Regenerate key
            </Button>
          </DialogTrigger>
          <DialogContent>
            <DialogHeader>
              <DialogTitle>Regenerate the stream key?</DialogTitle>
              <DialogDescription>The current key stops working at once; OBS needs the new one.</DialogDescription>
            </DialogHeader>
            {error && (
              <p role="alert" className="text-sm text-live">
                {error}
              </p>
            )}
            <Button variant="destructive" onClick={() => void regenerate()}>
              Regenerate
            </Button>
          </DialogContent>
        </Dialog>
        <ol className="list-decimal space-y-1 pl-5 text-sm text-muted" data-testid="obs-steps">
          {(stream.stream_type === 'audio' ? AUDIO_STEPS : VIDEO_STEPS).map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ol>
      </CardContent>
    </Card>
  );
}
