import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { AuthResponse, LoginBody, RegisterBody, User } from '@parley/protocol';
import { ApiError, authApi, createParleyApi, type ParleyApi } from '../../lib/api';
import { tokenExpiresAt } from '../../lib/jwt';

export type AuthState =
  | { status: 'loading' }
  | { status: 'signedOut' }
  | { status: 'signedIn'; user: User; accessToken: string };

export interface AuthContextValue {
  state: AuthState;
  register(body: RegisterBody): Promise<void>;
  login(body: LoginBody): Promise<void>;
  logout(): Promise<void>;
  /** A fresh access token, or null (and signed out) when the session cannot be renewed. */
  refresh(): Promise<string | null>;
  api: ParleyApi;
}

export const AuthContext = createContext<AuthContextValue | null>(null);

/** Refresh this long before the access token expires. */
export const REFRESH_LEAD_MS = 60_000;
/** When the server cannot be reached to refresh, ask again after this long. */
export const REFRESH_RETRY_MS = 10_000;

/**
 * Refresh tokens rotate: two refreshes with the same cookie look like theft to the server.
 * One refresh at a time per tab (a shared promise) and, where the browser can, per origin.
 */
function withCrossTabLock<T>(work: () => Promise<T>): Promise<T> {
  if (typeof navigator !== 'undefined' && navigator.locks) {
    return navigator.locks.request('parley:refresh', work) as Promise<T>;
  }
  return work();
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading' });
  const tokenRef = useRef<string | null>(null);
  const refreshInFlight = useRef<Promise<string | null> | null>(null);
  const retryTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const signIn = useCallback((response: AuthResponse) => {
    tokenRef.current = response.accessToken;
    setState({ status: 'signedIn', user: response.user, accessToken: response.accessToken });
  }, []);

  const signOut = useCallback(() => {
    clearTimeout(retryTimer.current);
    tokenRef.current = null;
    setState({ status: 'signedOut' });
  }, []);

  const refresh = useCallback(function refreshSession(): Promise<string | null> {
    refreshInFlight.current ??= withCrossTabLock(() => authApi.refresh())
      .then((response) => {
        signIn(response);
        return response.accessToken;
      })
      .catch((error: unknown) => {
        const unreachable = error instanceof ApiError && (error.status === 0 || error.status >= 500);
        if (unreachable && tokenRef.current) {
          // The server did not refuse the session, it just could not answer: keep it, ask again.
          clearTimeout(retryTimer.current);
          retryTimer.current = setTimeout(() => void refreshSession(), REFRESH_RETRY_MS);
          return null;
        }
        signOut();
        return null;
      })
      .finally(() => {
        refreshInFlight.current = null;
      });
    return refreshInFlight.current;
  }, [signIn, signOut]);

  // Restore the session from the refresh cookie on page load.
  useEffect(() => {
    void refresh();
    return () => clearTimeout(retryTimer.current);
  }, [refresh]);

  // Renew the access token a minute before it expires.
  const accessToken = state.status === 'signedIn' ? state.accessToken : null;
  useEffect(() => {
    if (!accessToken) return;
    const expiresAt = tokenExpiresAt(accessToken);
    if (expiresAt === null) return;
    const timer = setTimeout(() => void refresh(), Math.max(0, expiresAt - Date.now() - REFRESH_LEAD_MS));
    return () => clearTimeout(timer);
  }, [accessToken, refresh]);

  // Stable for the provider's life: consumers can depend on it without re-running on each refresh.
  const api = useMemo(() => createParleyApi({ getToken: () => tokenRef.current, refresh }), [refresh]);

  const value = useMemo<AuthContextValue>(
    () => ({
      state,
      register: async (body) => signIn(await authApi.register(body)),
      login: async (body) => signIn(await authApi.login(body)),
      logout: async () => {
        // Forget the session locally even when the server cannot be told.
        await authApi.logout().catch(() => undefined);
        signOut();
      },
      refresh,
      api,
    }),
    [state, refresh, signIn, signOut, api],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}

/** For components that only render when signed in. */
export function useSignedInUser(): { user: User; accessToken: string } {
  const { state } = useAuth();
  if (state.status !== 'signedIn') throw new Error('useSignedInUser needs a signed-in session');
  return state;
}
