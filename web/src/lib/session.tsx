import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { connectBunker } from '../signers/bunker-signer';
import { extensionSigner, hasExtension } from '../signers/extension-signer';
import { forgetUnlocked, keepUnlocked, restoreUnlocked } from '../signers/kept-key';
import { importNsec, localSigner, unlockNcryptsec } from '../signers/local-signer';
import type { Signer } from '../signers/signer';

const STORAGE_KEY = 'wavlake-live.session';
const BUNKER_ANSWER_MS = 15_000;

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
  /** A saved sign-in is coming back (extension arriving, bunker reconnecting, kept key opening): not signed out yet. */
  readonly restoring: boolean;
  /** The account was created in this tab (createKey): nothing of it can exist on any relay yet. */
  readonly createdHere: boolean;
  /** The bunker:// URI this browser signed in with (a bunker session), to offer it again where a bunker is asked for. */
  readonly bunkerUri: string | undefined;
  signInWithExtension(): Promise<void>;
  /** `remember`: keep the key unlocked in this browser for REMEMBER_DAYS, not only until it closes. */
  signInWithNsec(nsec: string, password: string, remember?: boolean): Promise<void>;
  signInWithNewKey(created: { signer: Signer; ncryptsec: string; secret: Uint8Array }): Promise<void>;
  unlock(password: string, remember?: boolean): Promise<void>;
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

  const dropInThisTab = useCallback((current: Signer | undefined) => {
    current?.close?.();
    setSigner(undefined);
    setSaved(undefined);
    setPubkey(undefined);
    setCreatedHere(false);
  }, []);

  // Coming back: an extension or a bunker reconnects by itself; a local key opens if it was kept unlocked, else waits for its password.
  const [restoring, setRestoring] = useState(() => readSaved() !== undefined);
  const restore = useCallback(
    async (cancelled: () => boolean) => {
      const remembered = readSaved();
      setSaved(remembered);
      try {
        if (remembered?.method === 'extension' && (await extensionArrives(cancelled))) await adopt(extensionSigner(), remembered);
        if (remembered?.method === 'bunker') {
          const { signer: bunker } = await connectBunker(remembered.uri, remembered.clientSecret);
          // A bunker that does not answer leaves the user signed out (they can connect again), not waiting forever.
          if (!cancelled()) await Promise.race([adopt(bunker, remembered), timeout(BUNKER_ANSWER_MS, 'The remote signer did not answer.')]);
        }
        if (remembered?.method === 'local') {
          const secret = await restoreUnlocked(remembered.pubkey);
          if (secret && !cancelled()) await adopt(localSigner(secret), remembered);
        }
      } finally {
        if (!cancelled()) setRestoring(false);
      }
    },
    [adopt],
  );
  useEffect(() => {
    let cancelled = false;
    void restore(() => cancelled).catch(() => undefined);
    return () => {
      cancelled = true;
    };
    // Only on first load.
  }, []);

  // Other tabs: signing out there signs out here; signing in or unlocking there is picked up here.
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key !== null && !event.key.startsWith('wavlake-live.')) return;
      if (event.key === STORAGE_KEY && event.newValue === null) dropInThisTab(signer);
      else if (!signer) void restore(() => false).catch(() => undefined);
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [dropInThisTab, restore, signer]);

  const value = useMemo<Session>(
    () => ({
      pubkey,
      signer,
      locked: !signer && !restoring && saved?.method === 'local' ? { pubkey: saved.pubkey } : undefined,
      restoring: !signer && restoring,
      createdHere,
      bunkerUri: saved?.method === 'bunker' ? saved.uri : undefined,
      signInWithExtension: () => adopt(extensionSigner(), { method: 'extension' }),
      signInWithNsec: async (nsec, password, remember = false) => {
        const { signer: local, ncryptsec, secret } = importNsec(nsec, password);
        const key = await local.getPublicKey();
        await keepUnlocked(secret, key, { remember });
        await adopt(local, { method: 'local', ncryptsec, pubkey: key });
      },
      signInWithNewKey: async ({ signer: local, ncryptsec, secret }) => {
        const key = await local.getPublicKey();
        await keepUnlocked(secret, key, { remember: false });
        await adopt(local, { method: 'local', ncryptsec, pubkey: key });
        setCreatedHere(true);
      },
      unlock: async (password, remember = false) => {
        if (saved?.method !== 'local') throw new Error('No key is saved in this browser.');
        const { signer: local, secret } = unlockNcryptsec(saved.ncryptsec, password);
        await keepUnlocked(secret, saved.pubkey, { remember });
        await adopt(local, saved);
      },
      signInWithBunker: async (uri) => {
        const { signer: bunker, clientSecret } = await connectBunker(uri);
        await adopt(bunker, { method: 'bunker', uri, clientSecret });
      },
      signOut: () => {
        localStorage.removeItem(STORAGE_KEY);
        sessionStorage.clear();
        void forgetUnlocked();
        dropInThisTab(signer);
      },
    }),
    [adopt, createdHere, dropInThisTab, pubkey, restoring, saved, signer],
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

function timeout(ms: number, message: string): Promise<never> {
  return new Promise((_resolve, reject) => setTimeout(() => reject(new Error(message)), ms));
}
