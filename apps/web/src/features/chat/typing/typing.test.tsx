import { act, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { alice, bob, fromAlice, openChatWith, renderWorkspace } from '../../../test/chatHarness';
import { installFakeSocket, type FakeSocket } from '../../../test/fakeSocket';

vi.mock('../../../lib/socket', () => import('../../../test/fakeSocket').then((m) => m.fakeSocketModule));

let socket: FakeSocket;
beforeEach(() => {
  socket = installFakeSocket();
});
afterEach(() => {
  vi.useRealTimers();
});

const count = (event: 'typing_start' | 'typing_stop') => socket.emitsOf(event).length;

describe('typing emitter', () => {
  it('sends no typing spam: one start for 10 s of typing, one stop 800 ms after the pause', async () => {
    await renderWorkspace(socket);
    await openChatWith(alice);
    vi.useFakeTimers();
    const input = screen.getByLabelText('Message');

    let draft = '';
    for (let elapsed = 0; elapsed < 10_000; elapsed += 100) {
      draft += 'a';
      fireEvent.change(input, { target: { value: draft } });
      act(() => vi.advanceTimersByTime(100));
    }
    expect(count('typing_start')).toBe(1);
    expect(count('typing_stop')).toBe(0);

    act(() => vi.advanceTimersByTime(699));
    expect(count('typing_stop')).toBe(0);
    act(() => vi.advanceTimersByTime(1));
    expect(count('typing_stop')).toBe(1);
    expect(socket.emitsOf('typing_start')[0]?.payload).toEqual({ receiverId: alice.id });

    act(() => vi.advanceTimersByTime(5_000));
    expect([count('typing_start'), count('typing_stop')]).toEqual([1, 1]);
  });

  it('stops at once on send and on clearing the input', async () => {
    const user = userEvent.setup();
    await renderWorkspace(socket);
    await openChatWith(alice, user);

    await user.type(screen.getByLabelText('Message'), 'hi{Enter}');
    expect([count('typing_start'), count('typing_stop')]).toEqual([1, 1]);

    await user.type(screen.getByLabelText('Message'), 'oops');
    await user.clear(screen.getByLabelText('Message'));
    expect([count('typing_start'), count('typing_stop')]).toEqual([2, 2]);
  });

  it('stops for the old peer when switching chat', async () => {
    const user = userEvent.setup();
    await renderWorkspace(socket);
    await openChatWith(alice, user);
    await user.type(screen.getByLabelText('Message'), 'half a thought');

    await openChatWith(bob, user);

    expect(socket.emitsOf('typing_stop').map((emit) => emit.payload)).toEqual([{ receiverId: alice.id }]);
  });
});

describe('typing emitter and the connection', () => {
  it('sends typing volatile, so Socket.IO drops rather than buffers it while disconnected', async () => {
    const user = userEvent.setup();
    await renderWorkspace(socket);
    await openChatWith(alice, user);
    await user.type(screen.getByLabelText('Message'), 'hi');
    await user.clear(screen.getByLabelText('Message'));

    const typingEmits = socket.emitted.filter((emit) => emit.event.startsWith('typing_'));
    expect(typingEmits.map((emit) => [emit.event, emit.volatile])).toEqual([
      ['typing_start', true],
      ['typing_stop', true],
    ]);
  });

  it('emits nothing while not connected, and starts afresh after the reconnect', async () => {
    const user = userEvent.setup();
    await renderWorkspace(socket);
    await openChatWith(alice, user);
    await user.type(screen.getByLabelText('Message'), 'before');
    expect([count('typing_start'), count('typing_stop')]).toEqual([1, 0]);

    act(() => socket.dropConnection());
    await user.type(screen.getByLabelText('Message'), ' while offline');
    await user.clear(screen.getByLabelText('Message'));
    expect([count('typing_start'), count('typing_stop')]).toEqual([1, 0]);

    act(() => socket.acceptConnection());
    await user.type(screen.getByLabelText('Message'), 'back');
    expect([count('typing_start'), count('typing_stop')]).toEqual([2, 0]);
    expect(socket.emitsOf('typing_start')[1]?.payload).toEqual({ receiverId: alice.id });
  });
});

describe('typing indicator', () => {
  async function aliceTypingInOpenChat() {
    await renderWorkspace(socket);
    await openChatWith(alice);
    const header = screen.getByRole('region', { name: 'Chat with Alice Liddell' });
    act(() => socket.serverEmit('user_typing', { userId: alice.id }));
    return header;
  }

  it('shows in the chat header and the conversation list, and clears on user_stop_typing', async () => {
    const chat = await aliceTypingInOpenChat();
    expect(within(chat).getByText('Alice Liddell is typing…')).toBeInTheDocument();
    const list = screen.getByRole('navigation', { name: 'Chats and people' });
    expect(within(list).getByText('Alice Liddell is typing…')).toBeInTheDocument();

    act(() => socket.serverEmit('user_stop_typing', { userId: alice.id }));
    expect(screen.queryByText('Alice Liddell is typing…')).not.toBeInTheDocument();
  });

  it('expires by itself 4 s after the last news, and keeps showing while news keeps coming', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    await aliceTypingInOpenChat();
    act(() => vi.advanceTimersByTime(3_000));
    act(() => socket.serverEmit('user_typing', { userId: alice.id }));
    act(() => vi.advanceTimersByTime(3_000));
    expect(screen.getAllByText('Alice Liddell is typing…')).toHaveLength(2);

    act(() => vi.advanceTimersByTime(1_000));
    expect(screen.queryByText('Alice Liddell is typing…')).not.toBeInTheDocument();
  });

  it('clears when she goes offline', async () => {
    await aliceTypingInOpenChat();
    act(() => socket.serverEmit('user_offline', { userId: alice.id, lastSeen: new Date().toISOString() }));
    expect(screen.queryByText('Alice Liddell is typing…')).not.toBeInTheDocument();
  });

  it('clears when her message arrives', async () => {
    await aliceTypingInOpenChat();
    act(() => socket.serverEmit('new_message', { message: fromAlice('Done typing', { createdAt: new Date().toISOString() }) }));
    expect(screen.queryByText('Alice Liddell is typing…')).not.toBeInTheDocument();
  });
});
