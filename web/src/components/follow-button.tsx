import { UserCheck, UserPlus } from 'lucide-react';
import { useContactList } from '../lib/contacts';
import { useSession } from '../lib/session';
import { SignInDialog } from './sign-in-dialog';
import { Button } from './ui/button';

/**
 * Follow / Following for one pubkey, a toggle (aria-pressed) over the user's kind 3. Signed
 * out it is one "Sign in to follow" (not a dead button beside it); on one's own pubkey it is
 * disabled. When the list cannot be read it says so and changes nothing.
 */
export function FollowButton({ pubkey }: { pubkey: string }) {
  const session = useSession();
  const contacts = useContactList();
  const following = contacts.follows.has(pubkey);
  const self = session.pubkey === pubkey;
  if (!session.pubkey) return <SignInDialog label="Sign in to follow" />;
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <Button
        size="sm"
        className="pointer-coarse:h-11"
        variant={following ? 'secondary' : 'default'}
        // One name, its state in aria-pressed: "Follow, pressed" rather than a name that changes under the user.
        aria-label="Follow"
        aria-pressed={following}
        disabled={self || !contacts.ready || contacts.pending}
        title={self ? 'This is you' : undefined}
        onClick={() => contacts.setFollow(pubkey, !following)}
      >
        {following ? <UserCheck className="h-4 w-4" aria-hidden /> : <UserPlus className="h-4 w-4" aria-hidden />}
        {following ? 'Following' : 'Follow'}
      </Button>
      {contacts.error && (
        <span role="alert" className="text-sm text-live">
          {contacts.error.message}
        </span>
      )}
    </span>
  );
}
