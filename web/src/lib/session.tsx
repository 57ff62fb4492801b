import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { connectBunker } from '../signers/bunker-signer';
import { extensionSigner, hasExtension } from '../signers/extension-signer';
import { importNsec, unlockNcryptsec } from '../signers/local-signer';
import type { Signer } from '../signers/signer';

const STORAGE_KEY = 'wavlake-live.session';

/** What is remembered in this browser between visits; never a plain secret key. */
type Saved =
  | { method: 'extension' }
  | { method: 'local'; ncryptsec: string; pubkey: string }
  | { method: 'bunker'; uri: string; clientSecret: string };

interface Session {
  readonly pubkey: string | undefined;
  readonly signer: Signer | undefined;
  /** A key is saved but locked: the user must type the password again. */
  readonly locked: { pubkey: string } | undefined;
  /** The account was created in this tab (createKey): nothing of it can exist on any relay yet. */
  readonly createdHere: boolean;
  /** The bunker:// URI this browser signed in with (a bunker session), to offer it again where a bunker is asked for. */
  readonly bunkerUri: string | undefined;
  signInWithExtension(): Promise<void>;
  signInWithNsec(nsec: string, password: string): Promise<void>;
  signInWithNewKey(created: { signer: Signer; ncryptsec: string }): Promise<void>;
  unlock(password: string): Promise<void>;
  signInWithBunker(uri: string): Promise<void>;
  signOut(): void;
}

const SessionContext = createContext<Session | undefined>(undefined);

function readSaved(): Saved | undefined {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Saved) : undefined;
  } catch {
    return undefined;
  }
}

/** The signed-in user and their signer, for the whole app. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [signer, setSigner] = useState<Signer>();
  const [pubkey, setPubkey] = useState<string>();
  const [saved, setSaved] = useState<Saved | undefined>(readSaved);
  const [createdHere, setCreatedHere] = useState(false);

  const adopt = useCallback(async (next: Signer, remember: Saved) => {
    const key = await next.getPublicKey();
    localStorage.setItem(STORAGE_KEY, JSON.stringify(remember));
    setSaved(remember);
    setSigner(next);
    setPubkey(key);
  }, []);

  // Coming back: an extension or a bunker reconnects by itself; a local key waits for its password.
  useEffect(() => {
    let cancelled = false;
    const restore = async () => {
      if (saved?.method === 'extension' && (await extensionArrives(() => cancelled))) await adopt(extensionSigner(), saved);
      if (saved?.method === 'bunker') {
        const { signer: bunker } = await connectBunker(saved.uri, saved.clientSecret);
        if (!cancelled) await adopt(bunker, saved);
      }
    };
    void restore().catch(() => undefined);
    return () => {
      cancelled = true;
    };
    // Only on first load.
  }, []);

  const value = useMemo<Session>(
    () => ({
      pubkey,
      signer,
      locked: !signer && saved?.method === 'local' ? { pubkey: saved.pubkey } : undefined,
      createdHere,
      bunkerUri: saved?.method === 'bunker' ? saved.uri : undefined,
      signInWithExtension: () => adopt(extensionSigner(), { method: 'extension' }),
      signInWithNsec: async (nsec, password) => {
        const { signer: local, ncryptsec } = importNsec(nsec, password);
        await adopt(local, { method: 'local', ncryptsec, pubkey: await local.getPublicKey() });
      },
      signInWithNewKey: async ({ signer: local, ncryptsec }) => {
        await adopt(local, { method: 'local', ncryptsec, pubkey: await local.getPublicKey() });
        setCreatedHere(true);
      },
      unlock: async (password) => {
        if (saved?.method !== 'local') throw new Error('No key is saved in this browser.');
        await adopt(unlockNcryptsec(saved.ncryptsec, password), saved);
      },
      signInWithBunker: async (uri) => {
        const { signer: bunker, clientSecret } = await connectBunker(uri);
        await adopt(bunker, { method: 'bunker', uri, clientSecret });
      },
      signOut: () => {
        signer?.close?.();
        localStorage.removeItem(STORAGE_KEY);
        sessionStorage.clear();
        setSaved(undefined);
        setSigner(undefined);
        setPubkey(undefined);
        setCreatedHere(false);
      },
    }),
    [adopt, createdHere, pubkey, saved, signer],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/**
 * Extensions inject `window.nostr` when they get to it: at once, or a second or more after
 * the page loads on a busy machine. Waits up to `withinMs` before taking the user as signed out.
 */
async function extensionArrives(cancelled: () => boolean, withinMs = 3000): Promise<boolean> {
  for (let waited = 0; waited <= withinMs && !cancelled(); waited += 100) {
    if (hasExtension()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}
