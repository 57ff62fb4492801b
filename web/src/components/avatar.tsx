import { useState } from 'react';
import { cn } from '../lib/cn';
import { displayName, safePicture, useProfile } from '../lib/profiles';

/** A user's picture (initials when there is none, or it is not http(s), or it fails to load). */
export function Avatar({ pubkey, className }: { pubkey: string; className?: string }) {
  const { data: profile } = useProfile(pubkey);
  const picture = safePicture(profile);
  // Remembered per address: a new picture gets its own chance to load.
  const [broken, setBroken] = useState<string>();
  const name = profile?.display_name || profile?.name;
  const initials = (name ?? shortKeyLetters(pubkey)).slice(0, 2).toUpperCase();
  return picture && broken !== picture ? (
    <img src={picture} alt="" data-testid="avatar-picture" onError={() => setBroken(picture)} className={cn('h-7 w-7 shrink-0 rounded-full object-cover', className)} />
  ) : (
    <span aria-hidden data-testid="avatar-initials" className={cn('flex h-7 w-7 shrink-0 items-center justify-center rounded-full bg-surface-2 text-xs font-semibold', className)}>
      {initials}
    </span>
  );
}

/** Nameless: two letters of the key itself, so two strangers' circles differ. */
const shortKeyLetters = (pubkey: string) => pubkey.slice(0, 2);

/** A user's picture and, optionally, name from their kind 0. */
export function UserBadge({ pubkey, showName = true, className }: { pubkey: string; showName?: boolean; className?: string }) {
  const { data: profile } = useProfile(pubkey);
  const name = displayName(pubkey, profile);
  return (
    <span className={cn('inline-flex min-w-0 items-center gap-2', className)} data-testid="user-badge">
      <Avatar pubkey={pubkey} />
      {showName && <span className="truncate text-sm font-medium">{name}</span>}
    </span>
  );
}
