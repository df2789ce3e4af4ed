import type {
  OnlineUsersEvent,
  PresenceState as UserPresence,
  UserOfflineEvent,
  UserOnlineEvent,
} from '@parley/protocol';

export interface PresenceState {
  online: ReadonlySet<string>;
  /**
   * When each user was last seen, as the server told it: an ISO time, or null (never seen, or
   * they hide it). A user the server has told us nothing about has no entry.
   */
  lastSeen: Readonly<Record<string, string | null>>;
  /** False from a (re)connect until its `online_users` snapshot: until then we know nothing new. */
  synced: boolean;
}

export type PresenceEvent =
  | { type: 'connected' }
  | { type: 'online_users'; payload: OnlineUsersEvent }
  | { type: 'user_online'; payload: UserOnlineEvent }
  | { type: 'user_offline'; payload: UserOfflineEvent }
  | { type: 'states'; users: readonly UserPresence[] }
  /** Last-seen times from a REST answer: kept only where the server has told us nothing yet. */
  | { type: 'remember'; users: readonly { id: string; lastSeen: string | null }[] };

export const initialPresence: PresenceState = { online: new Set(), lastSeen: {}, synced: false };

/**
 * Presence follows the server only. A new socket starts from nothing (whoever left while we were
 * away must not stay "online"); its `online_users` snapshot (our online partners) and its
 * subscription ack (the people on screen) then say who is online, in either order.
 */
export function presenceReducer(state: PresenceState, event: PresenceEvent): PresenceState {
  switch (event.type) {
    case 'connected':
      return { ...state, online: new Set(), synced: false };
    case 'online_users':
      return { ...state, online: new Set([...state.online, ...event.payload.userIds]), synced: true };
    case 'user_online': {
      if (state.online.has(event.payload.userId)) return state;
      const online = new Set(state.online);
      online.add(event.payload.userId);
      return { ...state, online };
    }
    case 'user_offline': {
      const online = new Set(state.online);
      online.delete(event.payload.userId);
      return { ...state, online, lastSeen: { ...state.lastSeen, [event.payload.userId]: event.payload.lastSeen } };
    }
    case 'states': {
      const online = new Set(state.online);
      const lastSeen = { ...state.lastSeen };
      for (const user of event.users) {
        if (user.online) online.add(user.userId);
        else online.delete(user.userId);
        lastSeen[user.userId] = user.lastSeen;
      }
      return { ...state, online, lastSeen };
    }
    case 'remember': {
      const unknown = event.users.filter((user) => !(user.id in state.lastSeen));
      if (unknown.length === 0) return state;
      return { ...state, lastSeen: { ...state.lastSeen, ...Object.fromEntries(unknown.map((user) => [user.id, user.lastSeen])) } };
    }
  }
}
