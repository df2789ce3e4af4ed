import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { SendMessageAckSchema, type SendMessagePayload } from '@parley/protocol';
import { alice, fromAlice, openChatWith, renderWorkspace } from '../test/chatHarness';
import { installFakeSocket, type FakeSocket } from '../test/fakeSocket';
import type { ParleySocket } from './socket';
import { listen, parseAck } from './socketEvents';

vi.mock('./socket', () => import('../test/fakeSocket').then((m) => m.fakeSocketModule));

let socket: FakeSocket;
beforeEach(() => {
  socket = installFakeSocket();
});

/** Plays a server that breaks the contract: the payload is whatever the test says. */
function serverEmitRaw(event: string, payload: unknown) {
  (socket.serverEmit as (event: string, payload: unknown) => void)(event, payload);
}

describe('the socket boundary', () => {
  it('hands on a payload that matches the protocol, and drops (and logs) one that does not', () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const handler = vi.fn();
    const stop = listen(socket as unknown as ParleySocket, 'user_online', handler);

    serverEmitRaw('user_online', { userId: 'not-an-id' });
    serverEmitRaw('user_online', null);
    expect(handler).not.toHaveBeenCalled();
    expect(errors).toHaveBeenCalledTimes(2);
    expect(String(errors.mock.calls[0]?.[0])).toContain('"user_online"');

    serverEmitRaw('user_online', { userId: alice.id });
    expect(handler).toHaveBeenCalledWith({ userId: alice.id });

    stop();
    expect(socket.listenerCount('user_online')).toBe(0);
  });

  it('turns a malformed ack into a failed one', () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(parseAck('send_message', SendMessageAckSchema, { ok: true })).toEqual({
      ok: false,
      error: { code: 'INVALID_RESPONSE', message: 'Unexpected answer from the server.' },
    });
    expect(parseAck('send_message', SendMessageAckSchema, undefined)).toMatchObject({ ok: false });
    expect(errors).toHaveBeenCalledTimes(2);
    const failed = { ok: false, error: { code: 'FORBIDDEN', message: 'no' } };
    expect(parseAck('send_message', SendMessageAckSchema, failed)).toEqual(failed);
  });

  it('keeps the app running through a malformed event: it is dropped, the next good one shows', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await renderWorkspace(socket);
    const messages = await openChatWith(alice);

    act(() => serverEmitRaw('new_message', { message: { ...fromAlice('Broken'), sender: 42 } }));
    act(() => serverEmitRaw('messages_read', { readerId: alice.id }));
    // Logged by each listener that dropped it (chat and typing both listen to new_message).
    const logged = new Set(errors.mock.calls.map((call) => String(call[0])));
    expect([...logged].sort()).toEqual([
      '[parley] Dropped a "messages_read" event that does not match the protocol:',
      '[parley] Dropped a "new_message" event that does not match the protocol:',
    ]);
    expect(within(messages).queryByText('Broken')).not.toBeInTheDocument();

    act(() => socket.serverEmit('new_message', { message: fromAlice('Fine', { createdAt: new Date().toISOString() }) }));
    expect(within(messages).getByText('Fine')).toBeInTheDocument();
  });

  it('treats a malformed send ack as a failed send, to be retried', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const user = userEvent.setup();
    await renderWorkspace(socket);
    const messages = await openChatWith(alice, user);
    await user.type(screen.getByLabelText('Message'), 'Hello{Enter}');

    const [send] = socket.emitsOf('send_message');
    act(() => send?.ack?.({ ok: true, message: { content: 'not a message' } }));

    expect(within(messages).getByRole('img', { name: 'Failed' })).toBeInTheDocument();
    expect(errors).toHaveBeenCalledTimes(1);
    // Retryable: the reconnect sends it again, with the same clientMessageId.
    act(() => socket.dropConnection());
    act(() => socket.acceptConnection());
    const sends = socket.emitsOf('send_message').map((emit) => emit.payload as SendMessagePayload);
    expect(sends).toHaveLength(2);
    expect(sends[1]?.clientMessageId).toBe(sends[0]?.clientMessageId);
  });
});
