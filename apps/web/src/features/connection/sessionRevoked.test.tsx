import { StrictMode } from 'react';
import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../app/App';
import { installFakeFetch } from '../../test/fakeFetch';
import { makeAuthResponse } from '../../test/fixtures';
import { installFakeSocket, type FakeSocket } from '../../test/fakeSocket';

vi.mock('../../lib/socket', () => import('../../test/fakeSocket').then((m) => m.fakeSocketModule));

let socket: FakeSocket;

beforeEach(() => {
  socket = installFakeSocket();
});

async function renderSignedIn() {
  const fetchFake = installFakeFetch({
    'POST /api/auth/refresh': () => ({ body: makeAuthResponse() }),
    'GET /api/conversations': () => ({ body: { conversations: [] } }),
    'GET /api/users': () => ({ body: { users: [] } }),
    'GET /api/sync': () => ({ body: { messages: [], nextSince: new Date().toISOString(), nextAfter: null, hasMore: false } }),
  });
  render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  await screen.findByText('Ada Lovelace');
  await waitFor(() => expect(socket.connectCalls).toBeGreaterThan(0));
  return fetchFake;
}

const refreshes = (fetchFake: Awaited<ReturnType<typeof renderSignedIn>>) =>
  fetchFake.calls.filter((call) => call.url === '/api/auth/refresh').length;

describe('an ended session (SESSION_REVOKED)', () => {
  it('session_expired { SESSION_REVOKED } goes to the sign-in screen with a one-line reason, without trying to refresh', async () => {
    const fetchFake = await renderSignedIn();
    act(() => socket.acceptConnection());
    act(() => socket.serverEmit('session_expired', { code: 'SESSION_REVOKED' }));

    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.getByText('You were signed out: this session was ended from another device or tab.')).toBeInTheDocument();
    expect(refreshes(fetchFake)).toBe(1);
    await waitFor(() => expect(socket.active).toBe(false));
  });

  it('a handshake refused with data.code SESSION_REVOKED does the same', async () => {
    const fetchFake = await renderSignedIn();
    act(() => socket.refuseConnection('UNAUTHORIZED', { code: 'SESSION_REVOKED' }));
    expect(await screen.findByText(/this session was ended/)).toBeInTheDocument();
    expect(refreshes(fetchFake)).toBe(1);
  });

  it('this tab’s own sign-out is not reported as an ending from elsewhere, even when the socket hears first', async () => {
    const user = userEvent.setup();
    const fetchFake = await renderSignedIn();
    act(() => socket.acceptConnection());
    // The server ends the session and tells its sockets before the logout's answer arrives.
    fetchFake.routes['POST /api/auth/logout'] = () => ({ status: 204 });
    let answerLogout: () => void = () => undefined;
    const logoutAnswered = new Promise<void>((resolve) => (answerLogout = resolve));
    const realFetch = globalThis.fetch;
    vi.stubGlobal('fetch', async (...args: Parameters<typeof fetch>) => {
      if (String(args[0]) === '/api/auth/logout') {
        socket.serverEmit('session_expired', { code: 'SESSION_REVOKED' });
        await logoutAnswered;
      }
      return realFetch(...args);
    });
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    await act(async () => {});
    expect(screen.queryByText(/this session was ended/)).not.toBeInTheDocument();
    answerLogout();
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.queryByText(/this session was ended/)).not.toBeInTheDocument();
  });
});
