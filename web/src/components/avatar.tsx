import { cn } from '../lib/cn';
import { displayName, useProfile } from '../lib/nostr';

/** A user's picture (or initials) and, optionally, name from their kind 0. */
export function UserBadge({ pubkey, showName = true, className }: { pubkey: string; showName?: boolean; className?: string }) {
  const { data: profile } = useProfile(pubkey);
  const name = displayName(pubkey, profile);
  return (
    <span className={cn('inline-flex min-w-0 items-center gap-2', className)}>
      {profile?.picture ? (
        <img src={profile.picture} alt="" className="h-7 w-7 shrink-0 rounded-full object-cover" />
      ) : (
        <span aria-hidden className="flex h-7 w-7 shrink-0 items-center justify-center rounded-full bg-surface-2 text-xs font-semibold">
          {name.slice(0, 2).toUpperCase()}
        </span>
      )}
      {showName && <span className="truncate text-sm font-medium">{name}</span>}
    </span>
  );
}
