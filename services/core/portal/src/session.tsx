import { createContext, ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { CurrentUser, currentUser } from './api/session.api';
import { ApiError, onSessionLost } from './api/http';

interface Session {
  /** undefined while the first check runs, null when nobody is signed in. */
  user: CurrentUser | null | undefined;
  refresh(): Promise<void>;
  clear(): void;
}

const SessionContext = createContext<Session | null>(null);

/** Who is signed in, asked of `/users/current` once at start and after sign-in. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<CurrentUser | null | undefined>(undefined);
  const refresh = useCallback(async () => {
    try {
      setUser(await currentUser());
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) setUser(null);
      else throw err;
    }
  }, []);
  const clear = useCallback(() => setUser(null), []);
  useEffect(() => {
    refresh().catch(() => setUser(null));
  }, [refresh]);
  // Expired mid-visit: drop the user, and RequireUser sends them to sign-in with the page to come back to.
  useEffect(() => onSessionLost(() => setUser(null)), []);
  return <SessionContext.Provider value={{ user, refresh, clear }}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
