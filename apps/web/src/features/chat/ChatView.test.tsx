import { act, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Message, SendMessageAck, SendMessagePayload } from '@parley/protocol';
import { Workspace } from '../../app/SignedInApp';
import { alice, bob, fromAlice, me, openChatWith, renderWorkspace, storedCopyOf } from '../../test/chatHarness';
import { makeMessage } from '../../test/fixtures';
import { installFakeSocket, type FakeSocket } from '../../test/fakeSocket';
import { makeFakeApi, renderWithSession } from '../../test/renderWithSession';

vi.mock('../../lib/socket', () => import('../../test/fakeSocket').then((m) => m.fakeSocketModule));

let socket: FakeSocket;
beforeEach(() => {
  socket = installFakeSocket();
});

/** The workspace with Alice's conversation open. */
async function openAliceChat(aliceHistory: Message[] = [fromAlice('Hi!')], aliceNextCursor: string | null = null) {
  const user = userEvent.setup();
  const view = await renderWorkspace(socket, { aliceHistory, aliceNextCursor });
  const messages = await openChatWith(alice, user);
  return { ...view, user, messages };
}

function lastSend() {
  const emit = socket.emitsOf('send_message').at(-1);
  if (!emit?.ack) throw new Error('no send_message with an ack was emitted');
  return { payload: emit.payload as SendMessagePayload, ack: emit.ack as (response: SendMessageAck) => void };
}

describe('chat view', () => {
  it('loads the history when a conversation opens', async () => {
    const { messages, api } = await openAliceChat([fromAlice('First'), fromAlice('Second')]);
    expect(api.messages).toHaveBeenCalledWith(alice.id, null);
    expect(within(messages).getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      expect.stringContaining('First'),
      expect.stringContaining('Second'),
    ]);
  });

  it('lets the keyboard reach the history, and keeps day headings inside the list items', async () => {
    const { messages } = await openAliceChat([fromAlice('First'), fromAlice('Second')]);
    const history = screen.getByRole('region', { name: 'Message history' });
    expect(history).toHaveAttribute('tabindex', '0');
    expect(history).toContainElement(messages);
    const [first] = within(messages).getAllByRole('listitem');
    expect(within(first!).getByRole('heading', { level: 3 })).toBeInTheDocument();
    expect([...messages.children].every((child) => child.getAttribute('role') === 'listitem')).toBe(true);
  });

  it('shows a sent message at once as pending, then sent on the ack, exactly once', async () => {
    const { user, messages } = await openAliceChat();

    await user.type(screen.getByLabelText('Message'), 'See you at noon{Enter}');

    const bubble = within(messages).getByText('See you at noon').closest('[role="listitem"]') as HTMLElement;
    expect(within(bubble).getByRole('img', { name: 'Sending' })).toBeInTheDocument();
    expect(screen.getByLabelText('Message')).toHaveValue('');

    const { payload, ack } = lastSend();
    expect(payload).toMatchObject({ receiverId: alice.id, content: 'See you at noon' });
    expect(payload.clientMessageId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);

    const stored = storedCopyOf(payload);
    act(() => ack({ ok: true, message: stored }));
    // The sender's own tabs also get new_message for it: still one bubble.
    act(() => socket.serverEmit('new_message', { message: stored }));

    expect(within(messages).getAllByText('See you at noon')).toHaveLength(1);
    expect(within(messages).getByRole('img', { name: 'Sent' })).toBeInTheDocument();
  });

  it('counts down near the 4,000-character limit and refuses to send past it, cutting nothing', async () => {
    const { user } = await openAliceChat();
    const input = screen.getByLabelText('Message');
    await user.click(input);
    await user.paste('x'.repeat(3_500));
    expect(screen.queryByText(/\/ 4,000/)).not.toBeInTheDocument();
    await user.paste('x'.repeat(500));
    expect(screen.getByText('4,000 / 4,000')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Send' })).toBeEnabled();
    await user.paste('yz');
    expect(input).toHaveValue(`${'x'.repeat(4_000)}yz`);
    expect(screen.getByText('2 characters too long')).toBeInTheDocument();
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled();
    await user.keyboard('{Enter}');
    expect(socket.emitsOf('send_message')).toHaveLength(0);
  });

  it('Shift+Enter makes a new line instead of sending', async () => {
    const { user } = await openAliceChat();
    await user.type(screen.getByLabelText('Message'), 'line one{Shift>}{Enter}{/Shift}line two');
    expect(screen.getByLabelText('Message')).toHaveValue('line one\nline two');
    expect(socket.emitsOf('send_message')).toHaveLength(0);
  });

  it('shows a refused send as failed, and Retry sends it again with the same clientMessageId', async () => {
    const { user, messages } = await openAliceChat();
    await user.type(screen.getByLabelText('Message'), 'Hello?{Enter}');
    const first = lastSend();

    act(() => first.ack({ ok: false, error: { code: 'VALIDATION_ERROR', message: 'content: too long' } }));
    expect(within(messages).getByRole('img', { name: 'Failed' })).toBeInTheDocument();

    await user.click(within(messages).getByRole('button', { name: 'Retry' }));
    const second = lastSend();
    expect(socket.emitsOf('send_message')).toHaveLength(2);
    expect(second.payload.clientMessageId).toBe(first.payload.clientMessageId);
    expect(within(messages).getByRole('img', { name: 'Sending' })).toBeInTheDocument();

    act(() => second.ack({ ok: true, message: storedCopyOf(second.payload) }));
    expect(within(messages).getByRole('img', { name: 'Sent' })).toBeInTheDocument();
    expect(within(messages).queryByRole('button', { name: 'Retry' })).not.toBeInTheDocument();
  });

  it('marks a send failed when no ack comes within the timeout', async () => {
    const { user, messages } = await openAliceChat();
    vi.useFakeTimers({ shouldAdvanceTime: true });
    await user.type(screen.getByLabelText('Message'), 'Anyone there?{Enter}');
    expect(within(messages).getByRole('img', { name: 'Sending' })).toBeInTheDocument();

    await act(() => vi.advanceTimersByTimeAsync(5_000));

    expect(within(messages).getByRole('img', { name: 'Failed' })).toBeInTheDocument();
    expect(within(messages).getByRole('button', { name: 'Retry' })).toBeInTheDocument();
    vi.useRealTimers();
  });

  it('loads the older page when scrolled to the top', async () => {
    const older = fromAlice('Long ago', { createdAt: '2026-01-01T09:00:00.000Z' });
    const recent = [fromAlice('Recent one', { createdAt: '2026-01-02T09:00:00.000Z' }), fromAlice('Recent two', { createdAt: '2026-01-02T09:01:00.000Z' })];
    const { messages, api } = await openAliceChat(recent, recent[0]?.id ?? null);
    api.messages.mockImplementation(async () => ({ messages: [older], nextCursor: null }));

    fireEvent.scroll(screen.getByTestId('message-scroller'), { target: { scrollTop: 0 } });

    expect(await within(messages).findByText('Long ago')).toBeInTheDocument();
    expect(api.messages).toHaveBeenLastCalledWith(alice.id, recent[0]?.id);
    expect(within(messages).getAllByRole('listitem')[0]).toHaveTextContent('Long ago');
  });

  it('shows a live message in its own conversation only, bumping that one in the list with a badge', async () => {
    const { messages } = await openAliceChat();
    const chats = screen.getByRole('navigation', { name: 'Chats and people' });
    const rowNames = () =>
      within(within(chats).getAllByRole('list')[0] as HTMLElement)
        .getAllByRole('button')
        .map((row) => row.textContent);
    expect(rowNames()[1]).toContain('Bob Builder');

    act(() => socket.serverEmit('new_message', { message: makeMessage({ sender: bob.id, receiver: me.id, content: 'Lunch?' }) }));

    expect(within(messages).queryByText('Lunch?')).not.toBeInTheDocument();
    expect(rowNames()[0]).toContain('Bob Builder');
    expect(screen.getByLabelText('1 unread')).toBeInTheDocument();
    expect(screen.getByTestId('chat-announcer')).toHaveTextContent('New message from Bob Builder: Lunch?');
  });

  it('offers "New messages" when one arrives while reading further up, and follows when at the bottom', async () => {
    const { user, messages } = await openAliceChat();
    const scroller = screen.getByTestId('message-scroller');
    // jsdom has no layout: give the thread a height and a scroll position by hand.
    Object.defineProperty(scroller, 'scrollHeight', { configurable: true, value: 2_000 });
    Object.defineProperty(scroller, 'clientHeight', { configurable: true, value: 500 });
    scroller.scrollTo = vi.fn();
    fireEvent.scroll(scroller, { target: { scrollTop: 600 } });

    act(() => socket.serverEmit('new_message', { message: fromAlice('Look at this', { createdAt: new Date().toISOString() }) }));
    expect(within(messages).getByText('Look at this')).toBeInTheDocument();
    expect(scroller.scrollTop).toBe(600);

    await user.click(screen.getByRole('button', { name: 'New messages' }));
    expect(scroller.scrollTo).toHaveBeenCalledWith({ top: 2_000, behavior: 'smooth' });
    expect(screen.queryByRole('button', { name: 'New messages' })).not.toBeInTheDocument();

    fireEvent.scroll(scroller, { target: { scrollTop: 1_500 } }); // at the bottom
    act(() => socket.serverEmit('new_message', { message: fromAlice('And this', { createdAt: new Date().toISOString() }) }));
    expect(scroller.scrollTop).toBe(2_000);
    expect(screen.queryByRole('button', { name: 'New messages' })).not.toBeInTheDocument();
  });

  it('shows a live message in the open conversation once, however often it arrives', async () => {
    const { messages } = await openAliceChat();
    const message = fromAlice('Are you there?', { createdAt: new Date().toISOString() });

    act(() => socket.serverEmit('new_message', { message }));
    act(() => socket.serverEmit('new_message', { message }));

    expect(within(messages).getAllByText('Are you there?')).toHaveLength(1);
    expect(screen.queryByLabelText(/unread/)).not.toBeInTheDocument();
  });

  it('renders message content as text, never as HTML', async () => {
    const { messages } = await openAliceChat([fromAlice('<img src=x onerror=alert(1)> <b>bold</b>')]);
    expect(within(messages).getByText('<img src=x onerror=alert(1)> <b>bold</b>')).toBeInTheDocument();
    expect(messages.querySelector('img, b')).toBeNull();
  });

  it('invites a first message in an empty conversation', async () => {
    const api = makeFakeApi({ searchUsers: vi.fn(async () => [{ ...alice, online: false, lastSeen: null }]) });
    const user = userEvent.setup();
    renderWithSession(<Workspace />, { api, me });
    expect(await screen.findByText('No conversations yet')).toBeInTheDocument();

    await user.click(await screen.findByRole('button', { name: /Alice Liddell/ }));

    expect(await screen.findByText(/Say hello/)).toBeInTheDocument();
    // No emoji: without an emoji font it renders as a missing-glyph box.
    expect(screen.getByText(/Say hello/).textContent).toBe('Say hello to Alice Liddell.');
  });

  it('shows the partner\'s presence as unknown in the header while this client is offline', async () => {
    await openAliceChat();
    const header = screen.getByRole('region', { name: 'Chat with Alice Liddell' }).querySelector('header')!;
    act(() => socket.serverEmit('online_users', { userIds: [me.id, alice.id] }));
    expect(within(header).getByRole('img', { name: 'online' })).toBeInTheDocument();
    expect(header).toHaveTextContent('Online');

    act(() => socket.dropConnection());
    expect(within(header).getByRole('img', { name: 'presence unknown while offline' })).toBeInTheDocument();
    expect(header).not.toHaveTextContent('Online');

    act(() => socket.acceptConnection());
    act(() => socket.serverEmit('online_users', { userIds: [me.id] }));
    expect(within(header).getByRole('img', { name: 'offline' })).toBeInTheDocument();
    expect(header).toHaveTextContent('Offline');
  });
});
