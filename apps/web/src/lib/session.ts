import { createContext, useContext } from 'react';
import type { User } from '@parley/protocol';
import type { ParleyApi } from './api';

/**
 * What every feature of a signed-in session may know: who I am and the authenticated API.
 * app/ provides it from the auth feature, so no feature imports auth to get them.
 */
export interface Session {
  me: User;
  api: ParleyApi;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside a signed-in session (SessionContext)');
  return value;
}
