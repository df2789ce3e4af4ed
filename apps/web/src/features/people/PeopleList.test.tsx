import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Sidebar } from '../../app/Sidebar';
import { makeUser } from '../../test/fixtures';
import { installFakeSocket, type FakeSocket } from '../../test/fakeSocket';
import { makeFakeApi, renderWithSession } from '../../test/renderWithSession';

vi.mock('../../lib/socket', () => import('../../test/fakeSocket').then((m) => m.fakeSocketModule));

let socket: FakeSocket;
beforeEach(() => {
  socket = installFakeSocket();
});

const alice = { ...makeUser({ username: 'alice', displayName: 'Alice Liddell' }), online: false, lastSeen: null };
const bob = { ...makeUser({ username: 'bob', displayName: 'Bob Builder' }), online: false, lastSeen: null };

function rowOf(name: string) {
  return screen.getByRole('button', { name: new RegExp(name) });
}

describe('People sidebar', () => {
  it('shows who is online from server events only, and last seen for those who left', async () => {
    const api = makeFakeApi({ searchUsers: vi.fn(async () => [alice, bob]) });
    renderWithSession(<Sidebar />, { api });
    act(() => socket.acceptConnection());
    await screen.findByText('Alice Liddell');
    expect(within(rowOf('Alice')).getByRole('img', { name: 'offline' })).toBeInTheDocument();

    act(() => socket.serverEmit('online_users', { userIds: [alice.id, bob.id] }));
    expect(within(rowOf('Alice')).getByRole('img', { name: 'online' })).toBeInTheDocument();
    expect(within(rowOf('Bob')).getByRole('img', { name: 'online' })).toBeInTheDocument();

    act(() => socket.serverEmit('user_offline', { userId: bob.id, lastSeen: new Date().toISOString() }));
    expect(within(rowOf('Bob')).getByRole('img', { name: 'offline' })).toBeInTheDocument();
    expect(rowOf('Bob')).toHaveTextContent('last seen just now');

    // Our own socket dropping says nothing about anyone else: while it is down we claim
    // nothing, and what we held is still there once it is back.
    act(() => socket.dropConnection());
    expect(within(rowOf('Alice')).getByRole('img', { name: 'presence unknown while offline' })).toBeInTheDocument();
    act(() => socket.acceptConnection());
    expect(within(rowOf('Alice')).getByRole('img', { name: 'online' })).toBeInTheDocument();

    // The reconnect snapshot is the truth: Alice left while we were away.
    act(() => socket.serverEmit('online_users', { userIds: [] }));
    expect(within(rowOf('Alice')).getByRole('img', { name: 'offline' })).toBeInTheDocument();

    act(() => socket.serverEmit('user_online', { userId: alice.id }));
    expect(within(rowOf('Alice')).getByRole('img', { name: 'online' })).toBeInTheDocument();
  });

  it('claims nobody is online while this client is not connected', async () => {
    const api = makeFakeApi({ searchUsers: vi.fn(async () => [alice, bob]) });
    renderWithSession(<Sidebar />, { api });
    act(() => socket.acceptConnection());
    await screen.findByText('Alice Liddell');
    act(() => socket.serverEmit('online_users', { userIds: [alice.id] }));
    act(() => socket.serverEmit('user_offline', { userId: bob.id, lastSeen: new Date().toISOString() }));
    expect(rowOf('Alice')).toHaveTextContent('Online');

    act(() => socket.dropConnection());
    for (const name of ['Alice', 'Bob']) {
      expect(within(rowOf(name)).getByRole('img', { name: 'presence unknown while offline' })).toBeInTheDocument();
      expect(within(rowOf(name)).queryByRole('img', { name: /^(online|offline)$/ })).not.toBeInTheDocument();
      expect(rowOf(name)).toHaveTextContent('Status unknown');
    }
    expect(rowOf('Alice')).not.toHaveTextContent('Online');

    // The reconnect's snapshot is what we show from then on.
    act(() => socket.acceptConnection());
    act(() => socket.serverEmit('online_users', { userIds: [bob.id] }));
    expect(within(rowOf('Alice')).getByRole('img', { name: 'offline' })).toBeInTheDocument();
    expect(within(rowOf('Bob')).getByRole('img', { name: 'online' })).toBeInTheDocument();
    expect(rowOf('Bob')).toHaveTextContent('Online');
  });

  it('keeps the presence status apart from the handle, so a long username cannot cut it off', async () => {
    const longName = { ...makeUser({ username: 'a_very_long_username_of_32_chars', displayName: 'Long' }), online: false, lastSeen: null };
    const api = makeFakeApi({ searchUsers: vi.fn(async () => [longName]) });
    renderWithSession(<Sidebar />, { api });
    act(() => socket.acceptConnection());
    await screen.findByText('Long');
    act(() => socket.serverEmit('online_users', { userIds: [longName.id] }));

    const status = within(rowOf('Long')).getByText('· Online');
    const handle = within(rowOf('Long')).getByText('@a_very_long_username_of_32_chars');
    expect(status).not.toContainElement(handle);
    expect(handle).not.toContainElement(status);
    expect(status).toHaveClass('row__status');
    expect(handle).toHaveClass('row__handle');
  });

  it('searches once typing pauses for 200 ms', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime, delay: 50 });
    const api = makeFakeApi({ searchUsers: vi.fn(async (query: string) => (query === 'ali' ? [alice] : [alice, bob])) });
    renderWithSession(<Sidebar />, { api });
    await act(() => vi.advanceTimersByTimeAsync(250));
    api.searchUsers.mockClear();

    await user.type(screen.getByLabelText('Search people'), 'ali');
    expect(api.searchUsers).not.toHaveBeenCalled();
    await act(() => vi.advanceTimersByTimeAsync(250));

    expect(api.searchUsers.mock.calls).toEqual([['ali']]);
    expect(screen.queryByText('Bob Builder')).not.toBeInTheDocument();
    expect(screen.getByText('Alice Liddell')).toBeInTheDocument();
    vi.useRealTimers();
  });
});
