import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { StreamAnalytics, StreamView } from '../../../../src/protocol/api-views';
import { nowPlayingRequestSchema } from '../../../../src/protocol/stream-settings';
import { api, ApiError } from '../../lib/api';
import { useSession } from '../../lib/session';
import { Button } from '../ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '../ui/card';
import { Input } from '../ui/input';
import { Label } from '../ui/label';
import { TrackList } from './track-list';

/**
 * "Now playing" for the streamer: sets or clears the current track (viewers see it on the
 * player and in chat) and lists the tracks played so far, from the stream's analytics.
 */
export function NowPlayingCard({ stream }: { stream: StreamView }) {
  const { signer } = useSession();
  const queryClient = useQueryClient();
  const id = stream.stream_id;
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  // The analytics page's query: the owner's signed answer, shared with it.
  const analytics = useQuery({
    queryKey: ['analytics', id, true],
    queryFn: () => api<StreamAnalytics>(`/api/v1/streams/${id}/analytics`, { signer }),
  });
  const current = stream.now_playing;

  const send = async (request: () => Promise<StreamView>, after?: () => void) => {
    setBusy(true);
    setError(undefined);
    try {
      await request();
      after?.();
      await Promise.all([queryClient.invalidateQueries({ queryKey: ['stream', id] }), queryClient.invalidateQueries({ queryKey: ['analytics', id] })]);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  const set = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const track = { title: String(form.get('title') ?? ''), artist: String(form.get('artist') ?? ''), link: String(form.get('link') ?? '') };
    // The API's own rules, so a mistake is named before anything is signed and sent.
    const checked = nowPlayingRequestSchema.safeParse(track);
    if (!checked.success) {
      setError(checked.error.issues[0]?.message);
      return;
    }
    void send(
      () => api<StreamView>(`/api/v1/streams/${id}/now-playing`, { method: 'POST', signer, json: track }),
      () => formElement.reset(),
    );
  };
  const clear = () => void send(() => api<StreamView>(`/api/v1/streams/${id}/now-playing`, { method: 'DELETE', signer }));

  return (
    <Card>
      <CardHeader>
        <CardTitle>Now playing</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-3">
        <p className="text-sm" data-testid="current-track" role="status">
          {current ? (
            <>
              <span className="font-medium">{current.title}</span>
              {current.artist && <span className="text-muted"> — {current.artist}</span>}
            </>
          ) : (
            <span className="text-muted">No track set. Viewers see the track on the player and in chat.</span>
          )}
        </p>
        {stream.status !== 'ended' && (
          <form className="grid gap-2" noValidate onSubmit={set}>
            <Label htmlFor="track-title">Track title</Label>
            <Input id="track-title" name="title" required />
            <Label htmlFor="track-artist">Artist (optional)</Label>
            <Input id="track-artist" name="artist" />
            <Label htmlFor="track-link">Link (optional)</Label>
            <Input id="track-link" name="link" type="url" placeholder="https://wavlake.com/track/…" />
            <div className="flex flex-wrap gap-2">
              <Button type="submit" variant="secondary" disabled={busy}>
                Set now playing
              </Button>
              <Button type="button" variant="outline" disabled={busy || !current} onClick={clear}>
                Clear
              </Button>
            </div>
          </form>
        )}
        {error && (
          <p role="alert" className="text-sm text-live">
            {error}
          </p>
        )}
        <div className="grid gap-1">
          <h3 className="text-sm font-medium">Played so far</h3>
          {analytics.data ? (
            <TrackList tracks={analytics.data.tracks} start={stream.started_at} empty="None yet: each track you set is listed here with its time." />
          ) : (
            <p className="text-sm text-muted">{analytics.error ? `The track list could not be loaded: ${analytics.error.message}` : 'Loading…'}</p>
          )}
        </div>
      </CardContent>
    </Card>
  );
}
