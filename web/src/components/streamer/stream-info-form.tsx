import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../../lib/api';
import type { StreamView } from '../../lib/api-types';
import { useSession } from '../../lib/session';
import { Button } from '../ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '../ui/card';
import { Input, Textarea } from '../ui/input';
import { Label } from '../ui/label';

/** Title, summary and tags, editable while live; the 30311 follows. */
export function StreamInfoForm({ stream }: { stream: StreamView }) {
  const { signer } = useSession();
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<string>();
  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      await api(`/api/v1/streams/${stream.stream_id}`, {
        method: 'PATCH',
        signer,
        json: {
          title: String(form.get('title')),
          description: String(form.get('description')),
          tags: String(form.get('tags')).split(',').map((tag) => tag.trim()).filter(Boolean),
        },
      });
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
          <Input id="info-title" name="title" defaultValue={stream.title} />
          <Label htmlFor="info-description">Summary</Label>
          <Textarea id="info-description" name="description" defaultValue={stream.description} />
          <Label htmlFor="info-tags">Tags</Label>
          <Input id="info-tags" name="tags" defaultValue={stream.tags.join(', ')} />
          {message && <p role="status" className="text-xs text-muted">{message}</p>}
          <Button type="submit" variant="secondary">
            Save
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}
