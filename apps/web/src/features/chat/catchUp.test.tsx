import { act, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SyncResponse } from '@parley/protocol';
import { Workspace } from '../../app/SignedInApp';
import { alice, fromAlice, me, openChatWith, renderWorkspace, toAlice } from '../../test/chatHarness';
import { installFakeSocket, type FakeSocket } from '../../test/fakeSocket';
import { makeFakeApi, renderWithSession } from '../../test/renderWithSession';
import { STORAGE_VERSION } from '../../lib/storage';
import { saveSyncPoint } from './syncPoint';

vi.mock('../../lib/socket', () => import('../../test/fakeSocket').then((m) => m.fakeSocketModule));

let socket: FakeSocket;
beforeEach(() => {
  socket = installFakeSocket();
});
afterEach(() => {
  vi.useRealTimers();
});

const deliveredEmits = () => socket.emitsOf('message_delivered').map((emit) => emit.payload);

describe('catch-up after (re)connect', () => {
  it('asks from the stored sync point minus 5 s, pages while there is more, and stores the new point', async () => {
    saveSyncPoint(me.id, '2026-01-02T10:00:05.000Z');
    const missed = fromAlice('While you were away', { createdAt: '2026-01-02T10:01:00.000Z' });
    const pages: SyncResponse[] = [
      { messages: [missed], nextSince: '2026-01-02T10:01:00.000Z', nextAfter: missed.id, hasMore: true },
      { messages: [], nextSince: '2026-01-02T10:02:00.000Z', nextAfter: null, hasMore: false },
    ];
    const api = makeFakeApi({ sync: vi.fn(async () => pages.shift() ?? { messages: [], nextSince: '2026-01-02T10:02:00.000Z', nextAfter: null, hasMore: false }) });
    renderWithSession(<Workspace />, { api, me });

    act(() => socket.acceptConnection());

    await waitFor(() => expect(api.sync).toHaveBeenCalledTimes(2));
    expect(api.sync.mock.calls).toEqual([
      ['2026-01-02T10:00:00.000Z', null],
      ['2026-01-02T10:01:00.000Z', missed.id],
    ]);
    await waitFor(() => expect(localStorage.getItem(`parley:sync:${me.id}`)).toBe(JSON.stringify({ version: STORAGE_VERSION, data: '2026-01-02T10:02:00.000Z' })));
    // New messages arrived: the conversation list is asked again for the server's counts.
    await waitFor(() => expect(api.conversations).toHaveBeenCalledTimes(2));
    await waitFor(() => expect(deliveredEmits()).toEqual([{ messageIds: [missed.id] }]));
  });

  it('starts from now on the first sign-in on this device', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-01T12:00:00.000Z'), shouldAdvanceTime: true });
    const api = makeFakeApi();
    renderWithSession(<Workspace />, { api, me });
    act(() => socket.acceptConnection());
    await waitFor(() => expect(api.sync).toHaveBeenCalled());
    expect(api.sync.mock.calls[0]?.[0]).toBe('2026-03-01T11:59:55.000Z');
  });

  it('catches up again on every reconnect', async () => {
    const api = makeFakeApi();
    renderWithSession(<Workspace />, { api, me });
    act(() => socket.acceptConnection());
    await waitFor(() => expect(api.sync).toHaveBeenCalledTimes(1));

    act(() => socket.dropConnection());
    act(() => socket.acceptConnection());

    await waitFor(() => expect(api.sync).toHaveBeenCalledTimes(2));
  });

  it('catches up when the server asks (resync_required) while staying connected', async () => {
    const missed = fromAlice('Sent while the nodes lost each other', { createdAt: new Date().toISOString() });
    const api = makeFakeApi();
    renderWithSession(<Workspace />, { api, me });
    act(() => socket.acceptConnection());
    await waitFor(() => expect(api.sync).toHaveBeenCalledTimes(1));
    api.sync.mockResolvedValueOnce({ messages: [missed], nextSince: missed.createdAt, nextAfter: missed.id, hasMore: false });

    act(() => socket.serverEmit('resync_required', {}));

    await waitFor(() => expect(api.sync).toHaveBeenCalledTimes(2));
    // The missed message was taken in (acknowledged as delivered) and the list asked again.
    await waitFor(() => expect(deliveredEmits()).toContainEqual({ messageIds: [missed.id] }));
    await waitFor(() => expect(api.conversations).toHaveBeenCalledTimes(2));
  });

  it('merges receipts forward without duplicating what is already shown', async () => {
    const mine = toAlice('Got it?', { createdAt: '2026-01-02T12:00:00.000Z' });
    await renderWorkspace(socket, { aliceHistory: [mine] });
    const messages = await openChatWith(alice);
    expect(within(messages).getByRole('img', { name: 'Sent' })).toBeInTheDocument();

    // A later change to the same message arrives twice: once live, once through catch-up.
    act(() =>
      socket.serverEmit('messages_delivered', { receiverId: alice.id, messageIds: [mine.id], deliveredAt: '2026-01-02T12:00:02.000Z' }),
    );
    expect(within(messages).getByRole('img', { name: 'Delivered' })).toBeInTheDocument();

    const stale = { ...mine }; // an older copy: not delivered, not read
    const read = { ...mine, isRead: true, readAt: '2026-01-02T12:05:00.000Z', deliveredAt: '2026-01-02T12:00:02.000Z' };
    act(() => socket.serverEmit('new_message', { message: read }));
    act(() => socket.serverEmit('new_message', { message: stale }));

    expect(within(messages).getAllByText('Got it?')).toHaveLength(1);
    expect(within(messages).getByRole('img', { name: 'Read' })).toBeInTheDocument();
  });
});

describe('delivery receipts', () => {
  it('acknowledges each incoming message, batching those that arrive together', async () => {
    await renderWorkspace(socket);
    await waitFor(() => expect(deliveredEmits()).toHaveLength(1)); // the conversation list's last messages
    socket.emitted.length = 0;

    const first = fromAlice('One', { createdAt: new Date().toISOString() });
    const second = fromAlice('Two', { createdAt: new Date().toISOString() });
    act(() => {
      socket.serverEmit('new_message', { message: first });
      socket.serverEmit('new_message', { message: second });
    });

    await waitFor(() => expect(deliveredEmits()).toEqual([{ messageIds: [first.id, second.id] }]));
  });

  it('never acknowledges my own messages', async () => {
    const mine = toAlice('Mine');
    await renderWorkspace(socket, { aliceHistory: [mine] });
    await waitFor(() => expect(deliveredEmits()).toHaveLength(1)); // Bob's last message only
    const ids = deliveredEmits().flatMap((payload) => (payload as { messageIds: string[] }).messageIds);
    expect(ids).not.toContain(mine.id);
    socket.emitted.length = 0;

    act(() => socket.serverEmit('new_message', { message: toAlice('Sent from my phone', { createdAt: new Date().toISOString() }) }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(deliveredEmits()).toEqual([]);
  });
});
