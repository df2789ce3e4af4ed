import { createContext, useContext, useEffect, useState } from 'react';
import { formatRelative } from './time';

/** What the UI may claim about someone: "unknown" whenever our own connection is not up to date. */
export type ShownPresence = 'online' | 'offline' | 'unknown';

/** Presence as it may be shown; the presence feature provides it, chat and people read it. */
export interface PresenceReader {
  presenceOf(userId: string): ShownPresence;
  /**
   * When the user was last seen, as the server told us: an ISO time, or null (never, or they hide
   * it); undefined while we have been told nothing about them.
   */
  lastSeenOf(userId: string): string | null | undefined;
}

export const PresenceContext = createContext<PresenceReader | null>(null);

export function useShownPresence(): PresenceReader {
  const value = useContext(PresenceContext);
  if (!value) throw new Error('useShownPresence must be used inside <PresenceProvider>');
  return value;
}

/**
 * The server tells us about our conversation partners by itself; anyone else shown on screen must
 * be watched (`presence_subscribe`). Parts of the screen register what they show.
 */
export interface PresenceWatcher {
  /** Registers (or replaces) what one part of the screen shows; lower priority first under the cap. */
  watch(key: symbol, userIds: readonly string[], priority: number): void;
  unwatch(key: symbol): void;
  /** Last-seen times from a REST answer, kept only for users the server has told us nothing about. */
  remember(users: readonly { id: string; lastSeen: string | null }[]): void;
}

export const PresenceWatchContext = createContext<PresenceWatcher | null>(null);

export function usePresenceWatcher(): PresenceWatcher {
  const value = useContext(PresenceWatchContext);
  if (!value) throw new Error('usePresenceWatcher must be used inside <PresenceProvider>');
  return value;
}

/** Watches these users' presence while the component shows them. */
export function useWatchPresence(userIds: readonly string[], priority = 1): void {
  const watcher = usePresenceWatcher();
  const [key] = useState(() => Symbol('presence-watch'));
  const joined = userIds.join(',');
  useEffect(() => {
    watcher.watch(key, joined ? joined.split(',') : [], priority);
  }, [watcher, key, joined, priority]);
  useEffect(() => () => watcher.unwatch(key), [watcher, key]);
}

/** The one wording of someone's presence, wherever it shows, so two places never disagree. */
export function presenceText(shown: ShownPresence, lastSeen: string | null | undefined, now: number): string {
  if (shown === 'unknown') return 'Status unknown';
  if (shown === 'online') return 'Online';
  return lastSeen ? `last seen ${formatRelative(lastSeen, now)}` : 'Offline';
}
