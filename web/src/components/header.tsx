import { ListVideo, Radio } from 'lucide-react';
import { Link, useLocation } from 'wouter';
import { useSession } from '../lib/session';
import { UserBadge } from './avatar';
import { SignInDialog } from './sign-in-dialog';
import { Button } from './ui/button';

export function Header() {
  const session = useSession();
  const [, navigate] = useLocation();
  return (
    <header className="sticky top-0 z-30 border-b border-border bg-background/95 backdrop-blur">
      <div className="mx-auto flex h-14 max-w-7xl items-center gap-3 px-3 sm:px-6">
        <Link href="/" className="flex shrink-0 items-center gap-2 whitespace-nowrap font-bold">
          <Radio className="h-5 w-5 text-accent" aria-hidden />
          {/* Signed in on a phone the row holds Go Live, My streams, the profile and Sign out: the mark alone names the site there. */}
          <span className={session.pubkey ? 'sr-only sm:not-sr-only' : undefined}>Wavlake Live</span>
        </Link>
        {/* min-w-0 down the chain: on a 375 px phone the name truncates instead of pushing "Sign out" off screen. */}
        <nav className="ml-auto flex min-w-0 items-center gap-2">
          {session.pubkey ? (
            <>
              <Button asChild size="sm">
                <Link href="/go-live">Go Live</Link>
              </Button>
              {/* On phones an icon, still named "My streams": the streamer's way back to their dashboards. */}
              <Button asChild size="sm" variant="ghost" className="shrink-0 px-2 sm:px-3">
                <Link href="/streams">
                  <ListVideo className="h-5 w-5 sm:hidden" aria-hidden />
                  <span className="sr-only sm:not-sr-only">My streams</span>
                </Link>
              </Button>
              {/* Named "Your profile: <name>", so the name it shows is part of the name it is announced by. */}
              <Link href={`/p/${session.pubkey}`} className="flex min-w-0">
                <span className="sr-only">Your profile: </span>
                <UserBadge pubkey={session.pubkey} className="max-w-40" />
              </Link>
              <Button size="sm" variant="outline" className="shrink-0" onClick={() => session.signOut()}>
                Sign out
              </Button>
            </>
          ) : session.restoring ? null : (
            <>
              {/* Signed out, Go Live leads through sign-in and then on; a saved key that is locked is unlocked on the Go Live page itself. */}
              {session.locked ? (
                <Button asChild size="sm" className="pointer-coarse:h-11">
                  <Link href="/go-live">Go Live</Link>
                </Button>
              ) : (
                <SignInDialog label="Go Live" onSignedIn={() => navigate('/go-live')} />
              )}
              <SignInDialog variant="outline" />
            </>
          )}
        </nav>
      </div>
    </header>
  );
}
