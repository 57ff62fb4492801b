import { useState } from 'react';
import type { LiveEvent } from '../../../../src/protocol/live-event';
import { cn } from '../../lib/cn';
import { safePicture, useProfile } from '../../lib/profiles';
import { useRetryingPicture } from './retrying-picture';

/**
 * A video stream's picture on its card: the streamer's image, else the live thumbnail, which
 * a stream that just went live does not have yet and is asked for again until it exists.
 * Until one loads the card shows the host's picture over a gradient with the title, never a
 * broken image.
 *
 *   <StreamPicture event={event} live={isReallyLive(event)} />
 */
export function StreamPicture({ event, live }: { event: LiveEvent; live: boolean }) {
  const sources = [event.image, event.thumbnail];
  // New sources (the event was updated) start from the first again.
  return <Picture key={sources.join(' ')} event={event} sources={sources} pending={live ? event.thumbnail : undefined} />;
}

function Picture({ event, sources, pending }: { event: LiveEvent; sources: (string | undefined)[]; pending: string | undefined }) {
  const picture = useRetryingPicture(sources, pending);
  return (
    <>
      {!picture.loaded && <Placeholder event={event} />}
      {picture.src && (
        <img
          src={picture.src}
          alt=""
          loading="lazy"
          data-testid="card-thumbnail"
          onLoad={picture.onLoad}
          onError={picture.onError}
          className={cn('absolute inset-0 h-full w-full object-cover', !picture.loaded && 'opacity-0')}
        />
      )}
    </>
  );
}

/** The host's picture (when they have one that loads) and the title, over the accent gradient. */
function Placeholder({ event }: { event: LiveEvent }) {
  const { data: profile } = useProfile(event.host);
  const picture = safePicture(profile);
  const [broken, setBroken] = useState<string>();
  return (
    <div data-testid="card-placeholder" aria-hidden className="absolute inset-0 flex flex-col items-center justify-center gap-2 bg-gradient-to-br from-accent/40 via-surface-2 to-surface p-4">
      {picture && broken !== picture && (
        <img src={picture} alt="" data-testid="card-placeholder-picture" onError={() => setBroken(picture)} className="h-14 w-14 rounded-full object-cover shadow-lg" />
      )}
      <span className="line-clamp-2 text-center text-sm font-semibold text-foreground/90">{event.title ?? 'Untitled stream'}</span>
    </div>
  );
}
