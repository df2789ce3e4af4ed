import { createContext, useContext, useMemo, useReducer, type ReactNode } from 'react';
import { useConnectionState } from '../connection/SocketContext';
import { useSocketEvent } from '../connection/useSocketEvent';
import { initialPresence, presenceReducer, type PresenceState } from './presenceState';

interface PresenceContextValue {
  isOnline(userId: string): boolean;
  /** The server's last-seen time for a user who went offline while we watched, else null. */
  lastSeenOf(userId: string): string | null;
}

const PresenceContext = createContext<PresenceContextValue | null>(null);

function toContextValue(state: PresenceState): PresenceContextValue {
  return {
    isOnline: (userId) => state.online.has(userId),
    lastSeenOf: (userId) => state.lastSeen[userId] ?? null,
  };
}

export function PresenceProvider({ children }: { children: ReactNode }) {
  const [state, dispatch] = useReducer(presenceReducer, initialPresence);
  useSocketEvent('online_users', (payload) => dispatch({ type: 'online_users', payload }));
  useSocketEvent('user_online', (payload) => dispatch({ type: 'user_online', payload }));
  useSocketEvent('user_offline', (payload) => dispatch({ type: 'user_offline', payload }));

  const value = useMemo(() => toContextValue(state), [state]);
  return <PresenceContext.Provider value={value}>{children}</PresenceContext.Provider>;
}

export function usePresence(): PresenceContextValue {
  const value = useContext(PresenceContext);
  if (!value) throw new Error('usePresence must be used inside <PresenceProvider>');
  return value;
}

/** What the UI may claim about someone: "unknown" whenever our own connection is not up. */
export type ShownPresence = 'online' | 'offline' | 'unknown';

/**
 * Presence as it may be shown. While this client is not connected, what we hold may be stale
 * (people came and went unseen), so nobody is shown online or offline until the reconnect's
 * `online_users` snapshot; the held data itself is kept.
 */
export function useShownPresence(): { presenceOf(userId: string): ShownPresence; lastSeenOf(userId: string): string | null } {
  const presence = usePresence();
  const connected = useConnectionState() === 'connected';
  return useMemo(
    () => ({
      presenceOf: (userId) => (!connected ? 'unknown' : presence.isOnline(userId) ? 'online' : 'offline'),
      lastSeenOf: presence.lastSeenOf,
    }),
    [presence, connected],
  );
}
