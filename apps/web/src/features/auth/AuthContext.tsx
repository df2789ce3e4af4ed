import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { AuthResponse, LoginBody, RegisterBody, User } from '@parley/protocol';
import { ApiError, authApi, createParleyApi, type ParleyApi } from '../../lib/api';
import { tokenExpiresAt } from '../../lib/jwt';
import { announceSignOut, onSignOutElsewhere } from '../../lib/signOutBroadcast';
import { forgetUserData } from '../../lib/storage';

export type AuthState =
  | { status: 'loading' }
  /** `reason`: one line for the sign-in screen when the sign-out was not this tab's own doing. */
  | { status: 'signedOut'; reason?: string }
  | { status: 'signedIn'; user: User; accessToken: string };

/** Why a tab finds itself signed out, said once on the sign-in screen. */
export const SIGNED_OUT_ELSEWHERE = 'You signed out in another tab.';
export const SESSION_ENDED = 'You were signed out: this session was ended from another device or tab.';
export const SIGNED_OUT_EVERYWHERE = 'You signed out everywhere.';

export interface AuthContextValue {
  state: AuthState;
  register(body: RegisterBody): Promise<void>;
  login(body: LoginBody): Promise<void>;
  logout(): Promise<void>;
  /** Ends every session of this account (`POST /api/auth/logout-all`), then signs out here and in every tab. */
  logoutEverywhere(): Promise<void>;
  /** The server ended this session (socket `SESSION_REVOKED`): sign out here and in every tab, saying why. */
  sessionEnded(reason?: string): void;
  /** The signed-in user changed (a new display name). */
  updateUser(user: User): void;
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

  // While this tab signs out on purpose, the server's word that the session ended is no news.
  const leaving = useRef(false);

  const signIn = useCallback((response: AuthResponse) => {
    leaving.current = false;
    tokenRef.current = response.accessToken;
    setState({ status: 'signedIn', user: response.user, accessToken: response.accessToken });
  }, []);

  const signOut = useCallback((reason?: string) => {
    clearTimeout(retryTimer.current);
    tokenRef.current = null;
    setState(reason ? { status: 'signedOut', reason } : { status: 'signedOut' });
  }, []);

  // The user whose data this tab holds: forgotten once they are signed out (after the signed-in
  // screens unmounted and stopped writing), here and, through the broadcast, in every other tab.
  const signedInUserId = state.status === 'signedIn' ? state.user.id : null;
  const lastUserId = useRef<string | null>(null);
  useEffect(() => {
    if (signedInUserId) {
      lastUserId.current = signedInUserId;
      return;
    }
    if (state.status === 'signedOut' && lastUserId.current) {
      forgetUserData(lastUserId.current);
      lastUserId.current = null;
    }
  }, [signedInUserId, state.status]);

  /** Signs out here and tells the other tabs (they share the cookie, so they are out too). */
  const signOutEverywhereHere = useCallback(
    (reason?: string) => {
      announceSignOut({ userId: lastUserId.current });
      signOut(reason);
    },
    [signOut],
  );

  useEffect(
    () =>
      onSignOutElsewhere(() => {
        if (tokenRef.current) signOut(SIGNED_OUT_ELSEWHERE);
      }),
    [signOut],
  );

  const refresh = useCallback(function refreshSession(): Promise<string | null> {
    refreshInFlight.current ??= withCrossTabLock(() => authApi.refresh())
      .then((response) => {
        signIn(response);
        return response.accessToken;
      })
      .catch((error: unknown) => {
        // A 429 (too many refreshes from this address) is not a refusal of the session either.
        const unreachable = error instanceof ApiError && (error.status === 0 || error.status === 429 || error.status >= 500);
        if (unreachable && tokenRef.current) {
          // The server did not refuse the session, it just could not answer: keep it, ask again.
          clearTimeout(retryTimer.current);
          retryTimer.current = setTimeout(() => void refreshSession(), REFRESH_RETRY_MS);
          return null;
        }
        signOut(error instanceof ApiError && error.code === 'SESSION_REVOKED' ? SESSION_ENDED : undefined);
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
  const api = useMemo(
    () =>
      createParleyApi({
        getToken: () => tokenRef.current,
        refresh,
        sessionEnded: () => {
          if (!leaving.current) signOutEverywhereHere(SESSION_ENDED);
        },
      }),
    [refresh, signOutEverywhereHere],
  );

  const value = useMemo<AuthContextValue>(
    () => ({
      state,
      register: async (body) => signIn(await authApi.register(body)),
      login: async (body) => signIn(await authApi.login(body)),
      logout: async () => {
        leaving.current = true;
        // Forget the session locally even when the server cannot be told.
        await authApi.logout().catch(() => undefined);
        signOutEverywhereHere();
      },
      logoutEverywhere: async () => {
        leaving.current = true;
        try {
          await api.endAllSessions();
        } catch (error) {
          leaving.current = false;
          throw error;
        }
        signOutEverywhereHere(SIGNED_OUT_EVERYWHERE);
      },
      sessionEnded: (reason = SESSION_ENDED) => {
        if (!leaving.current) signOutEverywhereHere(reason);
      },
      updateUser: (user) =>
        setState((current) => (current.status === 'signedIn' ? { ...current, user } : current)),
      refresh,
      api,
    }),
    [state, refresh, signIn, signOutEverywhereHere, api],
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
