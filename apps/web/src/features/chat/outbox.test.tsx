import { act, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SendMessageAck, SendMessagePayload } from '@parley/protocol';
import { alice, bob, me, openChatWith, renderWorkspace, storedCopyOf } from '../../test/chatHarness';
import { installFakeSocket, type FakeSocket } from '../../test/fakeSocket';
import { STORAGE_VERSION } from '../../lib/storage';
import { loadOutbox, outboxKey, retryDelay } from './outbox';

vi.mock('../../lib/socket', () => import('../../test/fakeSocket').then((m) => m.fakeSocketModule));

let socket: FakeSocket;
beforeEach(() => {
  socket = installFakeSocket();
});
afterEach(() => {
  vi.useRealTimers();
});

function sends() {
  return socket.emitsOf('send_message').map((emit) => ({
    payload: emit.payload as SendMessagePayload,
    ack: emit.ack as (response: SendMessageAck) => void,
  }));
}

function contents() {
  return sends().map((send) => send.payload.content);
}

/** Writes and sends a message in the open chat (works with fake timers too). */
function write(content: string) {
  const input = screen.getByLabelText('Message');
  fireEvent.change(input, { target: { value: content } });
  fireEvent.keyDown(input, { key: 'Enter' });
}

describe('outbox', () => {
  it('keeps an unsent message across a reload and sends it with the same clientMessageId on connect', async () => {
    const user = userEvent.setup();
    const first = await renderWorkspace(socket);
    const messages = await openChatWith(alice, user);
    act(() => socket.dropConnection());

    await user.type(screen.getByLabelText('Message'), 'Written offline{Enter}');
    expect(within(messages).getByRole('img', { name: 'Sending' })).toBeInTheDocument();
    expect(sends()).toHaveLength(0);
    const [queued] = loadOutbox(me.id);
    expect(queued).toMatchObject({ receiverId: alice.id, content: 'Written offline', state: 'sending' });

    // A page reload: a fresh app, a fresh socket, the same localStorage.
    first.unmount();
    socket = installFakeSocket();
    await renderWorkspace(socket);
    const reloaded = await openChatWith(alice, user);
    expect(within(reloaded).getByText('Written offline')).toBeInTheDocument();
    expect(within(reloaded).getByRole('img', { name: 'Sending' })).toBeInTheDocument();

    const [send] = sends();
    expect(send?.payload.clientMessageId).toBe(queued?.clientMessageId);
    act(() => send?.ack({ ok: true, message: storedCopyOf(send.payload) }));
    expect(within(reloaded).getByRole('img', { name: 'Sent' })).toBeInTheDocument();
    expect(loadOutbox(me.id)).toEqual([]);
    expect(localStorage.getItem(outboxKey(me.id))).toBe(JSON.stringify({ version: STORAGE_VERSION, data: [] }));
  });

  it('ignores a stored outbox of a version it does not know: nothing odd is sent or shown', async () => {
    const entry = { clientMessageId: 'cm_from_the_future', receiverId: alice.id, content: 'Future shape', createdAt: new Date().toISOString(), state: 'sending', attempts: 0, permanent: false };
    localStorage.setItem(outboxKey(me.id), JSON.stringify({ version: STORAGE_VERSION + 1, data: [entry] }));

    await renderWorkspace(socket);
    const messages = await openChatWith(alice);

    expect(within(messages).queryByText('Future shape')).not.toBeInTheDocument();
    expect(sends()).toHaveLength(0);
    write('Today');
    expect(contents()).toEqual(['Today']);
  });

  it('retries after an ack timeout with backoff, always with the same clientMessageId', async () => {
    await renderWorkspace(socket);
    const messages = await openChatWith(alice);
    vi.useFakeTimers();
    const input = screen.getByLabelText('Message');
    fireEvent.change(input, { target: { value: 'Hello' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(sends()).toHaveLength(1);

    await act(() => vi.advanceTimersByTimeAsync(5_000)); // first ack timeout
    expect(within(messages).getByRole('img', { name: 'Failed' })).toBeInTheDocument();
    await act(() => vi.advanceTimersByTimeAsync(retryDelay(1)));
    expect(sends()).toHaveLength(2);

    await act(() => vi.advanceTimersByTimeAsync(5_000)); // second ack timeout
    await act(() => vi.advanceTimersByTimeAsync(retryDelay(2) - 100));
    expect(sends()).toHaveLength(2);
    await act(() => vi.advanceTimersByTimeAsync(100));
    expect(sends()).toHaveLength(3);

    const ids = new Set(sends().map((send) => send.payload.clientMessageId));
    expect(ids.size).toBe(1);
  });

  it('backs off 1 s, 2 s, 4 s … up to 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 10].map(retryDelay)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('retries a failed send at once on reconnect', async () => {
    const user = userEvent.setup();
    await renderWorkspace(socket);
    await openChatWith(alice, user);
    await user.type(screen.getByLabelText('Message'), 'Hello{Enter}');
    act(() => sends()[0]?.ack({ ok: false, error: { code: 'STORE_UNAVAILABLE', message: 'try later' } }));

    act(() => socket.dropConnection());
    act(() => socket.acceptConnection());

    expect(sends()).toHaveLength(2);
    expect(sends()[1]?.payload.clientMessageId).toBe(sends()[0]?.payload.clientMessageId);
  });

  it('sends one message at a time to a person, in the order written, and waits out a failed one', async () => {
    await renderWorkspace(socket);
    const messages = await openChatWith(alice);
    vi.useFakeTimers();
    write('one');
    write('two');
    write('three');
    expect(contents()).toEqual(['one']);

    act(() => sends()[0]!.ack({ ok: true, message: storedCopyOf(sends()[0]!.payload) }));
    expect(contents()).toEqual(['one', 'two']);

    await act(() => vi.advanceTimersByTimeAsync(5_000)); // no ack for "two"
    expect(within(messages).getByRole('img', { name: 'Failed' })).toBeInTheDocument();
    expect(contents()).toEqual(['one', 'two']);

    await act(() => vi.advanceTimersByTimeAsync(retryDelay(1)));
    expect(contents()).toEqual(['one', 'two', 'two']);
    expect(sends()[2]!.payload.clientMessageId).toBe(sends()[1]!.payload.clientMessageId);
    await act(() => vi.advanceTimersByTimeAsync(1_000)); // still waiting for the retry's ack
    expect(contents()).toEqual(['one', 'two', 'two']);

    act(() => sends()[2]!.ack({ ok: true, message: storedCopyOf(sends()[2]!.payload) }));
    expect(contents()).toEqual(['one', 'two', 'two', 'three']);
    act(() => sends()[3]!.ack({ ok: true, message: storedCopyOf(sends()[3]!.payload) }));
    expect(within(messages).getAllByRole('listitem').map((item) => item.querySelector('p')?.textContent)).toEqual([
      'Hi!',
      'one',
      'two',
      'three',
    ]);
    expect(loadOutbox(me.id)).toEqual([]);
  });

  it('holds a person\'s queue on a retryable refusal until the retry on reconnect is stored', async () => {
    await renderWorkspace(socket);
    await openChatWith(alice);
    write('first');
    write('second');
    act(() => sends()[0]!.ack({ ok: false, error: { code: 'RATE_LIMITED', message: 'slow down' } }));
    expect(contents()).toEqual(['first']);

    act(() => socket.dropConnection());
    act(() => socket.acceptConnection());
    expect(contents()).toEqual(['first', 'first']);
    act(() => sends()[1]!.ack({ ok: true, message: storedCopyOf(sends()[1]!.payload) }));
    expect(contents()).toEqual(['first', 'first', 'second']);
  });

  it('lets a message refused for good step aside, and keeps each person\'s queue to itself', async () => {
    const user = userEvent.setup();
    await renderWorkspace(socket);
    await openChatWith(alice, user);
    write('refused');
    write('after it');
    await openChatWith(bob, user);
    write('hey bob');
    write('still there?');
    expect(contents()).toEqual(['refused', 'hey bob']);

    // Alice's first is still waiting for its ack; Bob's queue goes on regardless.
    act(() => sends()[1]!.ack({ ok: true, message: storedCopyOf(sends()[1]!.payload) }));
    expect(contents()).toEqual(['refused', 'hey bob', 'still there?']);

    act(() => sends()[0]!.ack({ ok: false, error: { code: 'VALIDATION_ERROR', message: 'no' } }));
    expect(contents()).toEqual(['refused', 'hey bob', 'still there?', 'after it']);
    expect(sends()[3]!.payload.receiverId).toBe(alice.id);
  });

  it('shows the message once when the echo arrives before the ack', async () => {
    const user = userEvent.setup();
    await renderWorkspace(socket);
    const messages = await openChatWith(alice, user);
    await user.type(screen.getByLabelText('Message'), 'Echo first{Enter}');
    const [send] = sends();
    const stored = storedCopyOf(send!.payload);

    act(() => socket.serverEmit('new_message', { message: stored }));
    act(() => send!.ack({ ok: true, message: stored }));

    expect(within(messages).getAllByText('Echo first')).toHaveLength(1);
    expect(loadOutbox(me.id)).toEqual([]);
  });
});
