import { act, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { alice, bob, fromAlice, me, openChatWith, renderWorkspace, toAlice } from '../../test/chatHarness';
import { installFakeSocket, type FakeSocket } from '../../test/fakeSocket';

vi.mock('../../lib/socket', () => import('../../test/fakeSocket').then((m) => m.fakeSocketModule));

let socket: FakeSocket;
let visibility: DocumentVisibilityState = 'visible';

beforeEach(() => {
  socket = installFakeSocket();
  visibility = 'visible';
  vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
});
afterEach(() => {
  vi.restoreAllMocks();
});

function setVisibility(next: DocumentVisibilityState) {
  visibility = next;
  act(() => {
    document.dispatchEvent(new Event('visibilitychange'));
  });
}

const readEmits = () => socket.emitsOf('mark_as_read').map((emit) => emit.payload);

describe('read receipts', () => {
  it('marks a conversation read when it is opened in a visible tab, clearing its badge', async () => {
    await renderWorkspace(socket, { aliceUnread: 2 });
    expect(screen.getByLabelText('2 unread')).toBeInTheDocument();
    expect(readEmits()).toEqual([]);

    await openChatWith(alice);

    expect(readEmits()).toEqual([{ senderId: alice.id }]);
    expect(screen.queryByLabelText('2 unread')).not.toBeInTheDocument();
  });

  it('waits for the tab to be visible, then marks read', async () => {
    await renderWorkspace(socket, { aliceUnread: 1 });
    setVisibility('hidden');
    await openChatWith(alice);
    expect(readEmits()).toEqual([]);

    setVisibility('visible');
    expect(readEmits()).toEqual([{ senderId: alice.id }]);
  });

  it('marks a new incoming message read while the conversation is open and visible, and not otherwise', async () => {
    await renderWorkspace(socket);
    await openChatWith(alice);
    expect(readEmits()).toHaveLength(1);

    act(() => socket.serverEmit('new_message', { message: fromAlice('Still there?', { createdAt: new Date().toISOString() }) }));
    expect(readEmits()).toHaveLength(2);

    setVisibility('hidden');
    act(() => socket.serverEmit('new_message', { message: fromAlice('Hello??', { createdAt: new Date().toISOString() }) }));
    expect(readEmits()).toHaveLength(2);
  });

  it("shows my messages read when the reader's receipt arrives", async () => {
    const mine = toAlice('Did you see this?', { createdAt: '2026-01-02T12:00:00.000Z', deliveredAt: '2026-01-02T12:00:01.000Z' });
    await renderWorkspace(socket, { aliceHistory: [mine] });
    const messages = await openChatWith(alice);
    expect(within(messages).getByRole('img', { name: 'Delivered' })).toBeInTheDocument();

    act(() => socket.serverEmit('messages_read', { readerId: alice.id, senderId: me.id, readAt: '2026-01-02T12:01:00.000Z' }));

    expect(within(messages).getByRole('img', { name: 'Read' })).toBeInTheDocument();
  });

  it('clears the badge when another of my tabs read the conversation', async () => {
    await renderWorkspace(socket, { aliceUnread: 3 });
    expect(screen.getByLabelText('3 unread')).toBeInTheDocument();

    act(() => socket.serverEmit('messages_read', { readerId: me.id, senderId: alice.id, readAt: new Date().toISOString() }));

    expect(screen.queryByLabelText('3 unread')).not.toBeInTheDocument();
  });

  it("ignores a receipt about someone else's conversation", async () => {
    await renderWorkspace(socket, { aliceUnread: 3 });
    act(() => socket.serverEmit('messages_read', { readerId: bob.id, senderId: alice.id, readAt: new Date().toISOString() }));
    expect(screen.getByLabelText('3 unread')).toBeInTheDocument();
  });
});
