import { Zap } from 'lucide-react';
import { Link } from 'wouter';
import { displayName, shortNpub, useProfile } from '../lib/profiles';
import { useSession } from '../lib/session';
import { Avatar } from './avatar';
import { Button } from './ui/button';

/** The top of a profile page: picture, name, npub, about line and lightning address; "Edit profile" and "Wallet" on one's own. */
export function ProfileHeader({ pubkey }: { pubkey: string }) {
  const { data: profile } = useProfile(pubkey);
  const session = useSession();
  return (
    <div className="flex min-w-0 items-start gap-3">
      <Avatar pubkey={pubkey} className="h-16 w-16 text-lg" />
      <div className="min-w-0 space-y-1">
        <h1 className="truncate text-xl font-semibold">{displayName(pubkey, profile)}</h1>
        {profile && <p className="font-mono text-xs text-muted">{shortNpub(pubkey)}</p>}
        {profile?.about && <p className="whitespace-pre-line text-sm">{profile.about}</p>}
        {profile?.lud16 && (
          <p className="text-sm text-muted">
            <Zap className="mr-1 inline h-4 w-4" aria-hidden />
            {profile.lud16}
          </p>
        )}
        {session.pubkey === pubkey && (
          <div className="flex gap-2">
            <Button asChild size="sm" variant="secondary">
              <Link href="/settings/profile">Edit profile</Link>
            </Button>
            <Button asChild size="sm" variant="secondary">
              <Link href="/settings/wallet">Wallet</Link>
            </Button>
          </div>
        )}
      </div>
    </div>
  );
}
