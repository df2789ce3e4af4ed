import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import type { User } from '@parley/protocol';
import { vi, type Mock } from 'vitest';
import { SessionProviders } from '../app/SessionProviders';
import { AuthContext, type AuthContextValue } from '../features/auth/AuthContext';
import type { ParleyApi } from '../lib/api';
import { makeToken, makeUser } from './fixtures';

export type FakeApi = { [Route in keyof ParleyApi]: Mock<ParleyApi[Route]> };

/** An API whose every route answers "nothing yet"; override the routes a test cares about. */
export function makeFakeApi(overrides: Partial<FakeApi> = {}): FakeApi {
  return {
    sessions: vi.fn<ParleyApi['sessions']>(async () => []),
    endSession: vi.fn<ParleyApi['endSession']>(async () => undefined),
    endAllSessions: vi.fn<ParleyApi['endAllSessions']>(async () => undefined),
    changePassword: vi.fn<ParleyApi['changePassword']>(async () => undefined),
    updateMe: vi.fn<ParleyApi['updateMe']>(async (body) => ({ ...makeUser(), showPresence: true, ...body })),
    searchUsers: vi.fn<ParleyApi['searchUsers']>(async () => []),
    conversations: vi.fn<ParleyApi['conversations']>(async () => ({ conversations: [], nextCursor: null })),
    messages: vi.fn<ParleyApi['messages']>(async () => ({ messages: [], nextCursor: null })),
    searchMessages: vi.fn<ParleyApi['searchMessages']>(async () => ({ messages: [], nextCursor: null })),
    sync: vi.fn<ParleyApi['sync']>(async (since) => ({ messages: [], nextSince: since, nextAfter: null, hasMore: false })),
    me: vi.fn<ParleyApi['me']>(async () => ({ ...makeUser({ username: 'me', displayName: 'Me Myself' }), showPresence: true })),
    ...overrides,
  };
}


/**
 * Renders `ui` inside a signed-in session (the app's real providers) with a fake API.
 * The socket is whatever the test installed through the `lib/socket` mock.
 */
export function renderWithSession(
  ui: ReactNode,
  { api = makeFakeApi(), me = makeUser({ username: 'me', displayName: 'Me Myself' }), path = '/' }: { api?: FakeApi; me?: User; path?: string } = {},
) {
  const accessToken = makeToken();
  const auth: AuthContextValue = {
    state: { status: 'signedIn', user: me, accessToken },
    register: vi.fn(async () => undefined),
    login: vi.fn(async () => undefined),
    logout: vi.fn(async () => undefined),
    logoutEverywhere: vi.fn(async () => undefined),
    sessionEnded: vi.fn(),
    updateUser: vi.fn(),
    refresh: vi.fn(async () => accessToken),
    api,
  };
  const view = render(
    <MemoryRouter initialEntries={[path]}>
      <AuthContext.Provider value={auth}>
        <SessionProviders accessToken={accessToken}>{ui}</SessionProviders>
      </AuthContext.Provider>
    </MemoryRouter>,
  );
  return { ...view, api, me, auth };
}
