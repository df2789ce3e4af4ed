import { createContext, useContext, useMemo, useReducer, type ReactNode } from 'react';
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
