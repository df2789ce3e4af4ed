import type { OnlineUsersEvent, UserOfflineEvent, UserOnlineEvent } from '@parley/protocol';

export interface PresenceState {
  online: ReadonlySet<string>;
  /** When each user was last seen leaving, as the server reported it. */
  lastSeen: Readonly<Record<string, string>>;
}

export type PresenceEvent =
  | { type: 'online_users'; payload: OnlineUsersEvent }
  | { type: 'user_online'; payload: UserOnlineEvent }
  | { type: 'user_offline'; payload: UserOfflineEvent };

export const initialPresence: PresenceState = { online: new Set(), lastSeen: {} };

/**
 * Presence follows the server's events only. A snapshot replaces the whole set, so after a
 * reconnect nobody who left while we were away stays "online".
 */
export function presenceReducer(state: PresenceState, event: PresenceEvent): PresenceState {
  switch (event.type) {
    case 'online_users':
      return { ...state, online: new Set(event.payload.userIds) };
    case 'user_online': {
      if (state.online.has(event.payload.userId)) return state;
      const online = new Set(state.online);
      online.add(event.payload.userId);
      return { ...state, online };
    }
    case 'user_offline': {
      const online = new Set(state.online);
      online.delete(event.payload.userId);
      return { online, lastSeen: { ...state.lastSeen, [event.payload.userId]: event.payload.lastSeen } };
    }
  }
}
