/** A card's shape while the relays have not answered yet: where a stream will appear, not a claim that none is there. */
export function StreamCardSkeleton() {
  return (
    <div data-testid="stream-card-skeleton" aria-hidden className="overflow-hidden rounded-lg border border-border bg-surface motion-safe:animate-pulse">
      <div className="aspect-video bg-surface-2" />
      <div className="space-y-2 p-3">
        <div className="h-4 w-3/4 rounded bg-surface-2" />
        <div className="flex items-center gap-2">
          <div className="h-7 w-7 rounded-full bg-surface-2" />
          <div className="h-3 w-1/3 rounded bg-surface-2" />
        </div>
        <div className="h-4 w-1/2 rounded bg-surface-2" />
      </div>
    </div>
  );
}
