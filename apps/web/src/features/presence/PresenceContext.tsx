import { useEffect, useMemo, useReducer, useState, type ReactNode } from 'react';
import { PresenceContext, PresenceWatchContext, type PresenceReader, type PresenceWatcher } from '../../lib/presence';
import { useConnectionState, useSocket } from '../../lib/socketContext';
import { useSocketEvent } from '../../lib/useSocketEvent';
import { initialPresence, presenceReducer } from './presenceState';
import { PresenceWatch } from './presenceWatch';

/**
 * Presence follows the server only, and is shown only while this client is connected and has
 * heard the server's snapshot since (re)connecting: before that, what we hold may be stale
 * (people came and went unseen), so nobody is shown online or offline.
 *
 * The server tells us about our conversation partners by itself; whoever else is on screen is
 * watched through one debounced `presence_subscribe` (PresenceWatch), sent again on every connect.
 */
export function PresenceProvider({ children }: { children: ReactNode }) {
  const [state, dispatch] = useReducer(presenceReducer, initialPresence);
  const socket = useSocket();
  const connected = useConnectionState() === 'connected';
  const [watch] = useState(
    () =>
      new PresenceWatch(
        {
          get connected() {
            return socket.connected;
          },
          emit: (event, payload, ack) => socket.emit(event, payload, ack),
        },
        (users) => dispatch({ type: 'states', users }),
      ),
  );

  useEffect(() => {
    // Straight from the socket, so it is handled before anything the new connection receives.
    const onConnect = () => {
      dispatch({ type: 'connected' });
      watch.connected();
    };
    socket.on('connect', onConnect);
    return () => {
      socket.off('connect', onConnect);
    };
  }, [socket, watch]);
  useEffect(() => () => watch.dispose(), [watch]);

  useSocketEvent('online_users', (payload) => dispatch({ type: 'online_users', payload }));
  useSocketEvent('user_online', (payload) => dispatch({ type: 'user_online', payload }));
  useSocketEvent('user_offline', (payload) => dispatch({ type: 'user_offline', payload }));

  const reader = useMemo<PresenceReader>(
    () => ({
      presenceOf: (userId) => (!connected || !state.synced ? 'unknown' : state.online.has(userId) ? 'online' : 'offline'),
      lastSeenOf: (userId) => state.lastSeen[userId],
    }),
    [state, connected],
  );
  const watcher = useMemo<PresenceWatcher>(
    () => ({
      watch: (key, userIds, priority) => watch.set(key, userIds, priority),
      unwatch: (key) => watch.delete(key),
      remember: (users) => dispatch({ type: 'remember', users }),
    }),
    [watch],
  );
  return (
    <PresenceWatchContext.Provider value={watcher}>
      <PresenceContext.Provider value={reader}>{children}</PresenceContext.Provider>
    </PresenceWatchContext.Provider>
  );
}
