import { StrictMode } from 'react';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { PROTOCOL_VERSION, SOCKET_CLIENT_TOO_OLD } from '@parley/protocol';
import { App } from '../../app/App';
import { installFakeFetch, unauthorized } from '../../test/fakeFetch';
import { makeAuthResponse } from '../../test/fixtures';
import { installFakeSocket, type FakeSocket } from '../../test/fakeSocket';

vi.mock('../../lib/socket', () => import('../../test/fakeSocket').then((m) => m.fakeSocketModule));

let socket: FakeSocket;

beforeEach(() => {
  socket = installFakeSocket();
});

/** Signs in through a silent refresh; each later refresh answers with the next response. */
async function renderSignedIn(
  laterRefreshes: ReturnType<typeof makeAuthResponse>[] = [],
  { strict = true }: { strict?: boolean } = {},
) {
  const first = makeAuthResponse();
  const answers = [first, ...laterRefreshes];
  const fetchFake = installFakeFetch({
    'POST /api/auth/refresh': () => {
      const next = answers.shift();
      return next ? { body: next } : unauthorized;
    },
    'POST /api/auth/logout': () => ({ status: 204 }),
    'GET /api/conversations': () => ({ body: { conversations: [] } }),
    'GET /api/users': () => ({ body: { users: [] } }),
    'GET /api/sync': () => ({ body: { messages: [], nextSince: new Date().toISOString(), nextAfter: null, hasMore: false } }),
  });
  const view = render(strict ? <StrictMode><App /></StrictMode> : <App />);
  await screen.findByText('Ada Lovelace');
  // The silent refresh resolves outside act(): wait for the effects that listen and connect
  // (children's listeners are registered before the provider's connect runs).
  await waitFor(() => expect(socket.connectCalls).toBeGreaterThan(0));
  return { ...view, first, fetchFake };
}

describe('socket lifecycle', () => {
  it('connects once with the access token after sign-in', async () => {
    const { first } = await renderSignedIn();
    await act(() => new Promise((resolve) => setTimeout(resolve, 10)));

    expect(socket.connectCalls).toBe(1);
    expect(socket.disconnectCalls).toBe(0);
    expect(socket.connectTokens).toEqual([first.accessToken]);
  });

  it('registers exactly the listeners of a plain render under StrictMode', async () => {
    const plain = await renderSignedIn([], { strict: false });
    const plainCounts = socket.listenerCounts();
    plain.unmount();

    socket = installFakeSocket();
    await renderSignedIn([], { strict: true });
    await act(() => new Promise((resolve) => setTimeout(resolve, 10)));

    expect(plainCounts['session_expired']).toBe(1);
    expect(socket.listenerCounts()).toEqual(plainCounts);
    expect(socket.connectCalls).toBe(1);
  });

  it('shows the connection state as the socket reports it', async () => {
    await renderSignedIn();
    expect(screen.getByRole('status')).toHaveTextContent('Connecting…');

    act(() => socket.acceptConnection());
    expect(screen.getByRole('status')).toHaveTextContent('Connected');

    act(() => socket.dropConnection());
    expect(screen.getByRole('status')).toHaveTextContent('Connecting…');
  });

  it('refreshes and reconnects with the new token when the handshake is refused', async () => {
    const renewed = makeAuthResponse();
    const { first } = await renderSignedIn([renewed]);

    act(() => socket.refuseConnection('UNAUTHORIZED'));

    await waitFor(() => expect(socket.connectTokens).toEqual([first.accessToken, renewed.accessToken]));
    expect(socket.active).toBe(true);
  });

  it('reconnects cleanly (disconnect, then connect) when a token rotates under a live connection', async () => {
    const renewed = makeAuthResponse();
    const { first } = await renderSignedIn([renewed]);
    act(() => socket.acceptConnection());

    act(() => socket.serverEmit('session_expired', { code: 'TOKEN_EXPIRED' }));

    await waitFor(() => expect(socket.connectTokens).toEqual([first.accessToken, renewed.accessToken]));
    expect(socket.disconnectCalls).toBe(1);
  });

  it('signs out when the session cannot be renewed', async () => {
    await renderSignedIn();
    act(() => socket.serverEmit('session_expired', { code: 'TOKEN_EXPIRED' }));

    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    await waitFor(() => expect(socket.active).toBe(false));
  });

  it('disconnects on logout', async () => {
    const user = userEvent.setup();
    await renderSignedIn();
    act(() => socket.acceptConnection());

    await user.click(screen.getByRole('button', { name: 'Sign out' }));

    await waitFor(() => expect(socket.disconnectCalls).toBe(1));
    expect(socket.connected).toBe(false);
  });

  it('disconnects on unmount and leaves no listener behind', async () => {
    const { unmount } = await renderSignedIn();
    act(() => socket.acceptConnection());

    unmount();

    await waitFor(() => expect(socket.disconnectCalls).toBe(1));
    for (const event of ['connect', 'disconnect', 'connect_error', 'session_expired', 'online_users']) {
      expect(socket.listenerCount(event), event).toBe(0);
    }
  });
});

describe('protocol version', () => {
  it('tells the server which protocol version this client speaks', async () => {
    const { first } = await renderSignedIn();
    expect(socket.auth).toEqual({ token: first.accessToken, protocolVersion: PROTOCOL_VERSION });
  });

  it('stops reconnecting and offers a reload when the server refuses this client as too old', async () => {
    const { fetchFake } = await renderSignedIn();
    const refreshesBefore = fetchFake.calls.filter((call) => call.url.endsWith('/auth/refresh')).length;

    act(() => socket.refuseConnection(SOCKET_CLIENT_TOO_OLD));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Parley was updated: reload');
    expect(within(alert).getByRole('button', { name: 'Reload' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Offline');
    await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
    expect(socket.connectCalls).toBe(1);
    expect(socket.active).toBe(false);
    // Not a session problem: no token refresh, and still signed in.
    expect(fetchFake.calls.filter((call) => call.url.endsWith('/auth/refresh'))).toHaveLength(refreshesBefore);
    expect(screen.getByText('Ada Lovelace')).toBeInTheDocument();
  });
});
