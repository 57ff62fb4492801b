import { Headphones } from 'lucide-react';
import { useState } from 'react';
import { cn } from '../lib/cn';

/**
 * A stream's picture filling its box: the first of `sources` that loads (a streamer's cover
 * may point anywhere, so a broken one gives way to the next). An audio stream's cover is
 * usually square: it is shown whole over a blurred copy of itself, and with no picture at
 * all a headphones mark stands in, never a black frame.
 *
 *   <Cover sources={[event.image, event.thumbnail]} audio={event.streamingType === 'audio'} />
 */
export function Cover({ sources, audio = false, className }: { sources: readonly (string | null | undefined)[]; audio?: boolean; className?: string }) {
  const [broken, setBroken] = useState<ReadonlySet<string>>(new Set());
  const picture = sources.find((url): url is string => typeof url === 'string' && url !== '' && !broken.has(url));
  const onError = () => picture && setBroken((failed) => new Set(failed).add(picture));
  if (!picture) {
    return audio ? (
      <div data-testid="cover-placeholder" className={cn('flex h-full w-full items-center justify-center bg-gradient-to-br from-accent/40 via-surface-2 to-surface', className)}>
        <Headphones className="h-1/3 w-1/3 text-foreground/70" aria-hidden />
      </div>
    ) : null;
  }
  if (!audio) return <img src={picture} alt="" loading="lazy" className={cn('h-full w-full object-cover', className)} onError={onError} />;
  return (
    <div className={cn('relative h-full w-full overflow-hidden', className)}>
      <img src={picture} alt="" aria-hidden className="absolute inset-0 h-full w-full scale-110 object-cover opacity-60 blur-xl" />
      <img src={picture} alt="" loading="lazy" data-testid="cover-image" className="relative h-full w-full object-contain" onError={onError} />
    </div>
  );
}
