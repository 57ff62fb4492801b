import { useQueryClient } from '@tanstack/react-query';
import { nip19 } from 'nostr-tools';
import { useState, type FormEvent } from 'react';
import { LIMITS, updateStreamRequestSchema } from '../../../../src/protocol/stream-settings';
import { api, ApiError } from '../../lib/api';
import type { StreamView } from '../../../../src/protocol/api-views';
import { hexPubkey } from '../../lib/nostr';
import { useSession } from '../../lib/session';
import { Button } from '../ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '../ui/card';
import { CountedField } from '../counted-field';
import { Input } from '../ui/input';
import { Label } from '../ui/label';
import { COVER_FIELD } from './stream-type-choice';

/** Title, summary, tags, cover image and moderators, editable while live; the 30311 follows. */
export function StreamInfoForm({ stream }: { stream: StreamView }) {
  const { signer } = useSession();
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<string>();
  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const named = String(form.get('moderators')).split(',').map((entry) => entry.trim()).filter(Boolean);
    const moderators = named.flatMap((entry) => hexPubkey(entry) ?? []);
    const invalid = named.filter((entry) => hexPubkey(entry) === undefined);
    if (invalid.length > 0) {
      setMessage(`Not a public key: ${invalid.join(', ')}. Give each moderator's npub (or 64 hex characters).`);
      return;
    }
    const update = {
      title: String(form.get('title')),
      description: String(form.get('description')),
      tags: String(form.get('tags')).split(',').map((tag) => tag.trim()).filter(Boolean),
      // Empty clears the cover: the live thumbnail (for sound, the profile picture or the card) stands in again.
      image: String(form.get('image')),
      moderators,
    };
    // The API's own rules, so a mistake is named here before anything is signed and sent.
    const checked = updateStreamRequestSchema.safeParse(update);
    if (!checked.success) {
      setMessage(checked.error.issues[0]?.message);
      return;
    }
    try {
      await api(`/api/v1/streams/${stream.stream_id}`, { method: 'PATCH', signer, json: update });
      setMessage('Saved.');
      await queryClient.invalidateQueries({ queryKey: ['stream', stream.stream_id] });
    } catch (failure) {
      setMessage(failure instanceof ApiError ? failure.message : String(failure));
    }
  };
  return (
    <Card>
      <CardHeader>
        <CardTitle>Stream info</CardTitle>
      </CardHeader>
      <CardContent>
        <form className="grid gap-2" onSubmit={(event) => void save(event)}>
          <Label htmlFor="info-title">Title</Label>
          <CountedField id="info-title" name="title" max={LIMITS.titleMax} defaultValue={stream.title} />
          <Label htmlFor="info-description">Summary</Label>
          <CountedField multiline id="info-description" name="description" max={LIMITS.descriptionMax} defaultValue={stream.description} />
          <Label htmlFor="info-tags">Tags</Label>
          <Input id="info-tags" name="tags" defaultValue={stream.tags.join(', ')} />
          <Label htmlFor="info-image">{COVER_FIELD[stream.stream_type].label}</Label>
          <Input
            id="info-image"
            name="image"
            type="url"
            defaultValue={stream.image_url ?? ''}
            placeholder="https://…/cover.jpg"
            aria-describedby="info-image-hint"
          />
          <p id="info-image-hint" className="text-xs text-muted">
            {COVER_FIELD[stream.stream_type].hint}
          </p>
          <Label htmlFor="info-moderators">Moderators (npubs, comma-separated)</Label>
          <Input
            id="info-moderators"
            name="moderators"
            defaultValue={(stream.moderators ?? []).map((pubkey) => nip19.npubEncode(pubkey)).join(', ')}
            placeholder="npub1…"
            aria-describedby="info-moderators-hint"
          />
          <p id="info-moderators-hint" className="text-xs text-muted">
            Moderators can remove messages and ban or time out users, as you can.
          </p>
          {message && <p role="status" className="text-xs text-muted">{message}</p>}
          <Button type="submit" variant="secondary">
            Save
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}
