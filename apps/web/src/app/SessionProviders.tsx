import { useMemo, type ReactNode } from 'react';
import { useAuth, useSignedInUser } from '../features/auth/AuthContext';
import { ChatProvider } from '../features/chat/ChatContext';
import { TypingProvider } from '../features/chat/typing/TypingContext';
import { SocketProvider } from '../features/connection/SocketContext';
import { PresenceProvider } from '../features/presence/PresenceContext';
import { SessionContext, type Session } from '../lib/session';

/**
 * Everything a signed-in session needs, in dependency order (the socket first). Features meet
 * only here: auth's user, API and renewals are handed to the others through lib's contexts.
 */
export function SessionProviders({ accessToken, children }: { accessToken: string; children: ReactNode }) {
  const { api, refresh, logout, sessionEnded } = useAuth();
  const { user: me } = useSignedInUser();
  const session = useMemo<Session>(() => ({ me, api }), [me, api]);
  return (
    <SessionContext.Provider value={session}>
      <SocketProvider token={accessToken} refresh={refresh} logout={logout} onSessionEnded={sessionEnded}>
        <PresenceProvider>
          <ChatProvider>
            <TypingProvider>{children}</TypingProvider>
          </ChatProvider>
        </PresenceProvider>
      </SocketProvider>
    </SessionContext.Provider>
  );
}
