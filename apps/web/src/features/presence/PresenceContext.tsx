import { useMemo, useReducer, type ReactNode } from 'react';
import { PresenceContext, type PresenceReader } from '../../lib/presence';
import { useConnectionState } from '../../lib/socketContext';
import { useSocketEvent } from '../../lib/useSocketEvent';
import { initialPresence, presenceReducer } from './presenceState';

/**
 * Presence follows the server's events, and is shown only while this client is connected:
 * while it is not, what we hold may be stale (people came and went unseen), so nobody is shown
 * online or offline until the reconnect's `online_users` snapshot; the held data itself is kept.
 */
export function PresenceProvider({ children }: { children: ReactNode }) {
  const [state, dispatch] = useReducer(presenceReducer, initialPresence);
  const connected = useConnectionState() === 'connected';

  useSocketEvent('online_users', (payload) => dispatch({ type: 'online_users', payload }));
  useSocketEvent('user_online', (payload) => dispatch({ type: 'user_online', payload }));
  useSocketEvent('user_offline', (payload) => dispatch({ type: 'user_offline', payload }));

  const value = useMemo<PresenceReader>(
    () => ({
      presenceOf: (userId) => (!connected ? 'unknown' : state.online.has(userId) ? 'online' : 'offline'),
      lastSeenOf: (userId) => state.lastSeen[userId] ?? null,
    }),
    [state, connected],
  );
  return <PresenceContext.Provider value={value}>{children}</PresenceContext.Provider>;
}
