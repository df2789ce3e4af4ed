import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { alice, openChatWith, renderWorkspace } from '../test/chatHarness';
import { installFakeSocket, type FakeSocket } from '../test/fakeSocket';
import { OfflineBanner } from './OfflineBanner';

vi.mock('../lib/socket', () => import('../test/fakeSocket').then((m) => m.fakeSocketModule));

let socket: FakeSocket;
beforeEach(() => {
  socket = installFakeSocket();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('trouble made visible', () => {
  it('offline, a banner says how many messages will be sent when back online; it goes once connected', async () => {
    const user = userEvent.setup();
    await renderWorkspace(socket, { extra: <OfflineBanner /> });
    const messages = await openChatWith(alice, user);
    expect(screen.queryByText(/will be sent when you are back online/)).not.toBeInTheDocument();

    act(() => socket.dropConnection());
    expect(await screen.findByText(/Messages you write now will be sent/)).toBeInTheDocument();
    expect(screen.getByText(/Reconnecting/)).toBeInTheDocument();
    for (const text of ['one', 'two', 'three']) await user.type(screen.getByLabelText('Message'), `${text}{Enter}`);
    expect(screen.getByText('3 messages will be sent when you are back online.')).toBeInTheDocument();
    expect(within(messages).getAllByRole('img', { name: 'Sending' })).toHaveLength(3);

    act(() => socket.acceptConnection());
    expect(screen.queryByText(/will be sent when you are back online/)).not.toBeInTheDocument();
  });

  it('a message still pending after 30 s says so', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    await renderWorkspace(socket);
    const messages = await openChatWith(alice, user);
    act(() => socket.dropConnection());
    await user.type(screen.getByLabelText('Message'), 'Stuck in a tunnel{Enter}');
    expect(within(messages).queryByText(/Not sent yet/)).not.toBeInTheDocument();

    await act(() => vi.advanceTimersByTimeAsync(31_000));
    expect(within(messages).getByText(/Not sent yet/)).toBeInTheDocument();
  });
});
