import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useLocation } from 'wouter';
import type { CategoriesView, CreatedStream, SignerMode } from '../../../src/protocol/api-views';
import { createStreamRequestSchema, LIMITS, type StreamType } from '../../../src/protocol/stream-settings';
import { CountedField } from '../components/counted-field';
import { SignInDialog } from '../components/sign-in-dialog';
import { SignerChoice } from '../components/streamer/signer-choice';
import { START_TIME_FIELD, StartTimeField } from '../components/streamer/start-time-field';
import { COVER_FIELD, StreamTypeChoice } from '../components/streamer/stream-type-choice';
import { Button } from '../components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '../components/ui/card';
import { Input } from '../components/ui/input';
import { FieldError, Label } from '../components/ui/label';
import { Switch } from '../components/ui/switch';
import { api, ApiError } from '../lib/api';
import { useChatChannel } from '../lib/chat-channel';
import { useRelays } from '../lib/nostr';
import { useSession } from '../lib/session';
import { GOAL_FIELDS, goalNotSet, parseGoalInput, setStreamGoal } from '../lib/zap-goal';
import { useDocumentTitle } from '../lib/use-document-title';
import { unixFromLocalInput } from '../lib/schedule';

/** Stream Setup: the plan's form, checked with the same rules as the API before it is sent. */
export function GoLivePage() {
  const { signer, bunkerUri, restoring } = useSession();
  useDocumentTitle('Go Live');
  const [, navigate] = useLocation();
  const { data } = useQuery({ queryKey: ['categories'], queryFn: () => api<CategoriesView>('/api/v1/categories'), staleTime: Infinity });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [serverError, setServerError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [settingGoal, setSettingGoal] = useState(false);
  const [toggles, setToggles] = useState({ enable_chat: true, record: true, private: false });
  const [streamType, setStreamType] = useState<StreamType>('video');
  const [signerMode, setSignerMode] = useState<SignerMode>('service');
  // Signed in through a bunker: the same one is the likeliest to sign the stream too.
  const [bunker, setBunker] = useState(bunkerUri ?? '');
  // The goal goes where the dashboard's Goal card sends it: the stream's relays.
  const relays = useRelays();
  const goalChannel = useChatChannel(undefined, relays, undefined);

  if (!signer && restoring) return <p className="text-muted">Signing you back in…</p>;
  if (!signer) {
    return (
      <Card className="mx-auto max-w-md">
        <CardHeader>
          <CardTitle>Sign in to go live</CardTitle>
        </CardHeader>
        <CardContent>
          <SignInDialog />
        </CardContent>
      </Card>
    );
  }

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body = {
      title: String(form.get('title') ?? ''),
      description: String(form.get('description') ?? ''),
      category: String(form.get('category') ?? ''),
      tags: String(form.get('tags') ?? '')
        .split(',')
        .map((tag) => tag.trim())
        .filter(Boolean),
      visibility: toggles.private ? 'private' : 'public',
      enable_chat: toggles.enable_chat,
      record: toggles.record,
      quality: String(form.get('quality') ?? '720p'),
      image: String(form.get('image') ?? ''),
      stream_type: streamType,
      signer: signerMode,
      ...(signerMode === 'streamer' && { bunker }),
      starts_at: unixFromLocalInput(form.get(START_TIME_FIELD)),
    };
    const parsed = createStreamRequestSchema.safeParse(body);
    // A private stream takes no zaps, so it gets no goal (its fields are hidden).
    const goal = toggles.private ? ({ ok: true, value: undefined } as const) : parseGoalInput(form, true);
    if (!parsed.success || !goal.ok) {
      setErrors({
        ...(parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0] ?? 'form'), issue.message]))),
        ...(goal.ok ? {} : { [goal.field]: goal.message }),
      });
      return;
    }
    setErrors({});
    setBusy(true);
    setServerError(undefined);
    try {
      const created = await api<CreatedStream>('/api/v1/streams/create', { method: 'POST', json: body, signer });
      // The key is shown once; the dashboard reads it from here (this tab only).
      sessionStorage.setItem(`stream-key:${created.stream_id}`, created.stream_key);
      if (goal.value) {
        setSettingGoal(true);
        // The stream exists whatever happens to its goal: the dashboard says why it was not set, and its Goal card sets it again.
        await setStreamGoal({ stream: created.stream, signer, channel: goalChannel, relays }, goal.value).catch((failure: unknown) =>
          goalNotSet.note(created.stream_id, failure instanceof Error ? failure.message : String(failure)),
        );
      }
      navigate(`/dashboard/${created.stream_id}`);
    } catch (failure) {
      // The bunker's own refusals (wrong key, no answer) belong beside its field.
      if (failure instanceof ApiError && failure.code.startsWith('signer_')) setErrors({ bunker: failure.message });
      else setServerError(failure instanceof ApiError ? failure.message : String(failure));
    } finally {
      setBusy(false);
      setSettingGoal(false);
    }
  };

  const field = (name: string) => ({ 'aria-invalid': errors[name] ? true : undefined, 'aria-describedby': `${name}-error` });
  return (
    <Card className="mx-auto max-w-2xl">
      <CardHeader>
        <CardTitle>Go Live: set up your stream</CardTitle>
      </CardHeader>
      <CardContent>
        <form noValidate onSubmit={(event) => void submit(event)} className="grid gap-4">
          <StreamTypeChoice value={streamType} onChange={setStreamType} />
          <div className="grid gap-1">
            <Label htmlFor="title">Title</Label>
            <CountedField id="title" name="title" max={LIMITS.titleMax} maxLength={LIMITS.titleMax + 20} {...field('title')} />
            <FieldError id="title-error" message={errors.title} />
          </div>
          <div className="grid gap-1">
            <Label htmlFor="description">Description</Label>
            <CountedField multiline id="description" name="description" max={LIMITS.descriptionMax} {...field('description')} />
            <FieldError id="description-error" message={errors.description} />
          </div>
          <div className={streamType === 'video' ? 'grid gap-4 sm:grid-cols-2' : 'grid gap-4'}>
            <div className="grid gap-1">
              <Label htmlFor="category">Category</Label>
              <select id="category" name="category" defaultValue="" className="h-10 rounded-md border border-border bg-surface px-3 text-sm" {...field('category')}>
                <option value="" disabled>
                  Choose a category
                </option>
                {data?.categories.map((category) => (
                  <option key={category.id} value={category.id}>
                    {category.label}
                  </option>
                ))}
              </select>
              <FieldError id="category-error" message={errors.category} />
            </div>
            {/* The picture's ladder; sound gets its own (the source and 64 kbps) whatever is chosen here. */}
            <div className={streamType === 'video' ? 'grid gap-1' : 'hidden'}>
              <Label htmlFor="quality">Quality ladder (top rung)</Label>
              <select id="quality" name="quality" defaultValue="720p" className="h-10 rounded-md border border-border bg-surface px-3 text-sm">
                {(data?.quality_choices ?? ['720p', '480p', '360p', 'source']).map((choice) => (
                  <option key={choice} value={choice}>
                    {choice}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className="grid gap-1">
            <Label htmlFor="tags">Tags (comma-separated, up to {LIMITS.tagsMax})</Label>
            <Input id="tags" name="tags" placeholder="acoustic, live" {...field('tags')} />
            <FieldError id="tags-error" message={errors.tags} />
          </div>
          <div className="grid gap-1">
            <Label htmlFor="image">{COVER_FIELD[streamType].label} (optional)</Label>
            <Input
              id="image"
              name="image"
              type="url"
              placeholder="https://…/cover.jpg"
              maxLength={LIMITS.imageMax + 20}
              {...field('image')}
              aria-describedby="image-hint image-error"
            />
            <p id="image-hint" className="text-xs text-muted">
              {COVER_FIELD[streamType].hint}
            </p>
            <FieldError id="image-error" message={errors.image} />
          </div>
          <StartTimeField error={errors.starts_at} />
          {(
            [
              ['private', 'Private: only people with the link can watch'],
              ['enable_chat', 'Enable chat'],
              ['record', 'Save a recording'],
            ] as const
          ).map(([name, label]) => (
            <div key={name} className="flex items-center gap-3">
              <Switch id={name} checked={toggles[name]} onCheckedChange={(checked) => setToggles({ ...toggles, [name]: checked })} />
              <Label htmlFor={name}>{label}</Label>
            </div>
          ))}
          {toggles.private ? (
            <p className="text-sm text-muted">Private streams take no zaps (a zap's receipt is public), so they have no zap goal.</p>
          ) : (
            <fieldset className="grid gap-2 rounded-md border border-border p-3">
              <legend className="px-1 text-sm font-medium">Zap goal (optional)</legend>
              <div className="grid gap-3 sm:grid-cols-[10rem_1fr]">
                <div className="grid content-start gap-1">
                  <Label htmlFor="goal-sats">Target (sats)</Label>
                  <Input id="goal-sats" name={GOAL_FIELDS.sats} type="number" min={1} step={1} inputMode="numeric" {...field(GOAL_FIELDS.sats)} />
                  <FieldError id={`${GOAL_FIELDS.sats}-error`} message={errors[GOAL_FIELDS.sats]} />
                </div>
                <div className="grid content-start gap-1">
                  <Label htmlFor="goal-description">What it is for</Label>
                  <Input id="goal-description" name={GOAL_FIELDS.description} placeholder="A new microphone" {...field(GOAL_FIELDS.description)} />
                  <FieldError id={`${GOAL_FIELDS.description}-error`} message={errors[GOAL_FIELDS.description]} />
                </div>
              </div>
              <p className="text-xs text-muted">Viewers see its progress under the player; it closes when reached or when the stream ends.</p>
            </fieldset>
          )}
          <SignerChoice value={signerMode} onChange={setSignerMode} bunker={bunker} onBunkerChange={setBunker} error={errors.bunker} />
          {serverError && <p role="alert" className="text-sm text-live">{serverError}</p>}
          <Button type="submit" disabled={busy}>
            Create stream
          </Button>
          {settingGoal && (
            <p role="status" className="text-sm text-muted">
              Signing and publishing your goal…
            </p>
          )}
          {busy && !settingGoal && signerMode === 'streamer' && (
            <p role="status" className="text-sm text-muted">
              Asking your bunker to connect; approve it there if it asks.
            </p>
          )}
        </form>
      </CardContent>
    </Card>
  );
}
