/**
 * Remembers NIP-98 auth event ids for as long as they could still pass the time check,
 * so a captured `Authorization` header cannot be replayed.
 *
 *   if (!guard.claim(event.id, event.created_at)) refuse('already used');
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();
  private nextPrune = 0;

  /** @param windowSeconds how long an auth event stays acceptable either side of now */
  constructor(
    private readonly windowSeconds: number,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  /** True the first time an id is seen; false for a replay. */
  claim(id: string, createdAt: number): boolean {
    const now = this.now();
    this.prune(now);
    if (this.seen.has(id)) return false;
    this.seen.set(id, createdAt + this.windowSeconds);
    return true;
  }

  private prune(now: number): void {
    if (now < this.nextPrune) return;
    for (const [id, expiresAt] of this.seen) if (expiresAt < now) this.seen.delete(id);
    this.nextPrune = now + this.windowSeconds;
  }
}
