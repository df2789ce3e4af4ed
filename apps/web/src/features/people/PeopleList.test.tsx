import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PresenceSubscribeAck, UserWithPresence } from '@parley/protocol';
import { Sidebar } from '../../app/Sidebar';
import { Workspace } from '../../app/SignedInApp';
import { makeUser } from '../../test/fixtures';
import { installFakeSocket, type FakeSocket } from '../../test/fakeSocket';
import { makeFakeApi, renderWithSession } from '../../test/renderWithSession';
import { PRESENCE_WATCH_DEBOUNCE_MS } from '../presence/presenceWatch';

vi.mock('../../lib/socket', () => import('../../test/fakeSocket').then((m) => m.fakeSocketModule));

let socket: FakeSocket;
beforeEach(() => {
  socket = installFakeSocket();
});
afterEach(() => {
  vi.useRealTimers();
});

const alice = { ...makeUser({ username: 'alice', displayName: 'Alice Liddell' }), online: false, lastSeen: null };
const bob = { ...makeUser({ username: 'bob', displayName: 'Bob Builder' }), online: false, lastSeen: null };

function rowOf(name: string) {
  return screen.getByRole('button', { name: new RegExp(name) });
}

function subscriptions(): string[][] {
  return socket.emitsOf('presence_subscribe').map((emit) => (emit.payload as { userIds: string[] }).userIds);
}

function answerLastSubscription(ack: PresenceSubscribeAck): void {
  const emit = socket.emitsOf('presence_subscribe').at(-1);
  if (!emit?.ack) throw new Error('no presence_subscribe with an ack');
  act(() => emit.ack!(ack));
}

describe('People sidebar: presence', () => {
  it('shows who is online from server events only, and last seen for those who left', async () => {
    const api = makeFakeApi({ searchUsers: vi.fn(async () => [alice, bob]) });
    renderWithSession(<Sidebar onOpen={() => undefined} focusSearch={false} />, { api });
    act(() => socket.acceptConnection());
    await screen.findByText('Alice Liddell');
    act(() => socket.serverEmit('online_users', { userIds: [] }));
    expect(within(rowOf('Alice')).getByRole('img', { name: 'offline' })).toBeInTheDocument();

    act(() => socket.serverEmit('user_online', { userId: alice.id }));
    act(() => socket.serverEmit('user_online', { userId: bob.id }));
    expect(within(rowOf('Alice')).getByRole('img', { name: 'online' })).toBeInTheDocument();
    expect(within(rowOf('Bob')).getByRole('img', { name: 'online' })).toBeInTheDocument();

    act(() => socket.serverEmit('user_offline', { userId: bob.id, lastSeen: new Date().toISOString() }));
    expect(within(rowOf('Bob')).getByRole('img', { name: 'offline' })).toBeInTheDocument();
    expect(rowOf('Bob')).toHaveTextContent('last seen just now');

    // Our own socket dropping says nothing about anyone else: while it is down, and until the new
    // connection's snapshot, we claim nothing.
    act(() => socket.dropConnection());
    expect(within(rowOf('Alice')).getByRole('img', { name: 'presence unknown while offline' })).toBeInTheDocument();
    act(() => socket.acceptConnection());
    expect(within(rowOf('Alice')).getByRole('img', { name: 'presence unknown while offline' })).toBeInTheDocument();

    // The reconnect's snapshot and subscription answer are the truth: Alice left while we were away.
    act(() => socket.serverEmit('online_users', { userIds: [] }));
    expect(within(rowOf('Alice')).getByRole('img', { name: 'offline' })).toBeInTheDocument();
    expect(rowOf('Bob')).toHaveTextContent('last seen just now');
  });

  it('claims nobody is online while this client is not connected', async () => {
    const api = makeFakeApi({ searchUsers: vi.fn(async () => [alice, bob]) });
    renderWithSession(<Sidebar onOpen={() => undefined} focusSearch={false} />, { api });
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

    act(() => socket.acceptConnection());
    act(() => socket.serverEmit('online_users', { userIds: [bob.id] }));
    expect(within(rowOf('Alice')).getByRole('img', { name: 'offline' })).toBeInTheDocument();
    expect(within(rowOf('Bob')).getByRole('img', { name: 'online' })).toBeInTheDocument();
    expect(rowOf('Bob')).toHaveTextContent('Online');
  });

  it('keeps the presence status apart from the handle, so a long username cannot cut it off', async () => {
    const longName = { ...makeUser({ username: 'a_very_long_username_of_32_chars', displayName: 'Long' }), online: false, lastSeen: null };
    const api = makeFakeApi({ searchUsers: vi.fn(async () => [longName]) });
    renderWithSession(<Sidebar onOpen={() => undefined} focusSearch={false} />, { api });
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
    renderWithSession(<Sidebar onOpen={() => undefined} focusSearch={false} />, { api });
    await act(() => vi.advanceTimersByTimeAsync(250));
    api.searchUsers.mockClear();

    await user.type(screen.getByLabelText('Search people'), 'ali');
    expect(api.searchUsers).not.toHaveBeenCalled();
    await act(() => vi.advanceTimersByTimeAsync(250));

    expect(api.searchUsers.mock.calls).toEqual([['ali']]);
    expect(screen.queryByText('Bob Builder')).not.toBeInTheDocument();
    expect(screen.getByText('Alice Liddell')).toBeInTheDocument();
  });
});

describe('People sidebar: watching the rows on screen', () => {
  it('subscribes to the rows shown once they settle, and to the new rows after a search', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime, delay: 50 });
    // Times are taken before anything renders: labels use a clock of minute resolution.
    const fiveMinutesAgo = new Date(Date.now() - 5 * 60_000).toISOString();
    const api = makeFakeApi({ searchUsers: vi.fn(async (query: string) => (query === 'bo' ? [bob] : [alice, bob])) });
    renderWithSession(<Sidebar onOpen={() => undefined} focusSearch={false} />, { api });
    act(() => socket.acceptConnection());
    await act(() => vi.advanceTimersByTimeAsync(250));
    await screen.findByText('Alice Liddell');
    expect(subscriptions()).toEqual([]);
    await act(() => vi.advanceTimersByTimeAsync(PRESENCE_WATCH_DEBOUNCE_MS));
    expect(subscriptions()).toEqual([[alice.id, bob.id]]);

    // The answer says who is online now, and since when the others are gone.
    answerLastSubscription({
      ok: true,
      users: [
        { userId: alice.id, online: true, lastSeen: null },
        { userId: bob.id, online: false, lastSeen: fiveMinutesAgo },
      ],
    });
    act(() => socket.serverEmit('online_users', { userIds: [] }));
    expect(rowOf('Alice')).toHaveTextContent('Online');
    expect(rowOf('Bob')).toHaveTextContent('last seen 5 minutes ago');

    await user.type(screen.getByLabelText('Search people'), 'bo');
    await act(() => vi.advanceTimersByTimeAsync(250));
    await vi.waitFor(() => expect(screen.queryByText('Alice Liddell')).not.toBeInTheDocument());
    expect(subscriptions()).toHaveLength(1);
    await act(() => vi.advanceTimersByTimeAsync(PRESENCE_WATCH_DEBOUNCE_MS));
    expect(subscriptions()).toEqual([[alice.id, bob.id], [bob.id]]);

    // A reconnect is a new socket with no subscription: the same rows go again at once.
    act(() => socket.dropConnection());
    act(() => socket.acceptConnection());
    expect(subscriptions()).toEqual([[alice.id, bob.id], [bob.id], [bob.id]]);
  });

  it('subscribes to at most 200 of the rows', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const many: UserWithPresence[] = Array.from({ length: 230 }, (_, n) => ({
      ...makeUser({ username: `person_${n}` }),
      online: false,
      lastSeen: null,
    }));
    const api = makeFakeApi({ searchUsers: vi.fn(async () => many) });
    renderWithSession(<Sidebar onOpen={() => undefined} focusSearch={false} />, { api });
    act(() => socket.acceptConnection());
    await act(() => vi.advanceTimersByTimeAsync(250));
    await screen.findByText('Person_0');
    await act(() => vi.advanceTimersByTimeAsync(PRESENCE_WATCH_DEBOUNCE_MS));
    const [sent] = subscriptions();
    expect(sent).toHaveLength(200);
    expect(sent).toEqual(many.slice(0, 200).map((person) => person.id));
  });
});

describe('the chat header and the people list agree', () => {
  it('say the same "last seen" after a reload, before and after the subscription answer', async () => {
    const user = userEvent.setup();
    // Times are taken before anything renders: labels use a clock of minute resolution.
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000).toISOString();
    const elevenMinutesAgo = new Date(Date.now() - 11 * 60_000).toISOString();
    const carol = { ...makeUser({ username: 'carol', displayName: 'Carol Danvers' }), online: false, lastSeen: tenMinutesAgo };
    const api = makeFakeApi({ searchUsers: vi.fn(async () => [carol]) });
    renderWithSession(<Workspace />, { api });
    act(() => socket.acceptConnection());
    // A reload: no event about Carol, only the REST answer and the snapshot of online partners.
    act(() => socket.serverEmit('online_users', { userIds: [] }));
    await screen.findByText('Carol Danvers');
    expect(rowOf('Carol')).toHaveTextContent('last seen 10 minutes ago');

    await user.click(rowOf('Carol'));
    const header = (await screen.findByRole('region', { name: 'Chat with Carol Danvers' })).querySelector('header')!;
    expect(header).toHaveTextContent('last seen 10 minutes ago');
    expect(header).not.toHaveTextContent('Offline');

    // The open chat's partner is watched too, first; its answer updates both places alike.
    await vi.waitFor(() => expect(subscriptions().at(-1)?.[0]).toBe(carol.id));
    answerLastSubscription({ ok: true, users: [{ userId: carol.id, online: false, lastSeen: elevenMinutesAgo }] });
    expect(header).toHaveTextContent('last seen 11 minutes ago');
    expect(within(screen.getByRole('navigation')).getByRole('button', { name: /Carol/ })).toHaveTextContent('last seen 11 minutes ago');
  });
});
