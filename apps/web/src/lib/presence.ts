import { createContext, useContext } from 'react';

/** What the UI may claim about someone: "unknown" whenever our own connection is not up. */
export type ShownPresence = 'online' | 'offline' | 'unknown';

/** Presence as it may be shown; the presence feature provides it, chat and people read it. */
export interface PresenceReader {
  presenceOf(userId: string): ShownPresence;
  /** The server's last-seen time for a user who went offline while we watched, else null. */
  lastSeenOf(userId: string): string | null;
}

export const PresenceContext = createContext<PresenceReader | null>(null);

export function useShownPresence(): PresenceReader {
  const value = useContext(PresenceContext);
  if (!value) throw new Error('useShownPresence must be used inside <PresenceProvider>');
  return value;
}
