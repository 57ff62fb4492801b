import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { KIND } from '../../../src/protocol/kinds';
import { Avatar } from '../components/avatar';
import { ProfileForm } from '../components/profile-form';
import { SignInDialog } from '../components/sign-in-dialog';
import { Button } from '../components/ui/button';
import { profileBase } from '../lib/profile-editor';
import { readNewest } from '../lib/relay-read';
import { useSession } from '../lib/session';
import { useUserRelays } from '../lib/user-relays';
import { useDocumentTitle } from '../lib/use-document-title';

/** `/settings/profile`: the signed-in user's name, picture, about line and lightning address. */
export function EditProfilePage() {
  const session = useSession();
  useDocumentTitle('Edit profile');
  const relays = useUserRelays(session.pubkey);
  const current = useQuery({
    queryKey: ['profile-for-editing', session.pubkey, relays.data],
    enabled: session.pubkey !== undefined && relays.data !== undefined,
    staleTime: 0,
    gcTime: 0,
    queryFn: async () => profileBase(await readNewest(relays.data ?? [], { kinds: [KIND.metadata], authors: [session.pubkey ?? ''] }), session.createdHere),
    retry: false,
  });

  if (!session.pubkey) {
    return (
      <div className="space-y-3">
        <p className="text-muted">Sign in (or create an account) to edit your profile.</p>
        <SignInDialog />
      </div>
    );
  }
  return (
    <div className="space-y-4">
      <div className="flex items-center gap-3">
        <Avatar pubkey={session.pubkey} className="h-12 w-12 text-base" />
        <div>
          <h1 className="text-xl font-semibold">{session.createdHere ? 'Welcome! Tell people who you are' : 'Edit your profile'}</h1>
          <p className="text-sm text-muted">Published on Nostr (kind 0): every Nostr app shows it. Fields other apps added stay as they are.</p>
        </div>
      </div>
      {current.isError ? (
        <div className="max-w-xl space-y-3">
          <p role="alert" className="text-sm text-live">
            {current.error.message}
          </p>
          <Button variant="secondary" onClick={() => void current.refetch()}>
            Try again
          </Button>
        </div>
      ) : current.isSuccess ? (
        <ProfileForm current={current.data} />
      ) : (
        <p role="status" className="text-muted">
          Reading your current profile from your relays…
        </p>
      )}
      <Link href={`/p/${session.pubkey}`} className="text-sm text-accent hover:underline">
        See your profile page
      </Link>
    </div>
  );
}
