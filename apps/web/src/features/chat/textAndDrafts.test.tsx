import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { alice, bob, fromAlice, openChatWith, renderWorkspace } from '../../test/chatHarness';
import { installFakeSocket, type FakeSocket } from '../../test/fakeSocket';

vi.mock('../../lib/socket', () => import('../../test/fakeSocket').then((m) => m.fakeSocketModule));

let socket: FakeSocket;
beforeEach(() => {
  socket = installFakeSocket();
});

describe('text as people write it', () => {
  it('lets each bubble, preview and the composer find its own direction, links http(s) and enlarges lone emoji', async () => {
    const history = [fromAlice('مرحبا بك'), fromAlice('Read https://example.com/x now'), fromAlice('🎉🎉')];
    await renderWorkspace(socket, { aliceHistory: history });
    const messages = await openChatWith(alice);

    const arabic = within(messages).getByText('مرحبا بك');
    expect(arabic).toHaveAttribute('dir', 'auto');
    expect(within(messages).getByRole('link', { name: 'https://example.com/x' })).toHaveAttribute('rel', 'noopener noreferrer');
    expect(within(messages).getByText('🎉🎉')).toHaveClass('bubble__content--emoji');
    expect(within(messages).getByText(/Read/)).not.toHaveClass('bubble__content--emoji');
    expect(screen.getByLabelText('Message')).toHaveAttribute('dir', 'auto');
    const chats = screen.getByRole('region', { name: 'Chats' });
    expect(within(chats).getByText('🎉🎉')).toHaveAttribute('dir', 'auto');
  });

  it('keeps a draft per chat across chat switches and reloads, and forgets it once sent', async () => {
    const user = userEvent.setup();
    const first = await renderWorkspace(socket);
    await openChatWith(alice, user);
    await user.type(screen.getByLabelText('Message'), 'Half a thought');

    await openChatWith(bob, user);
    expect(screen.getByLabelText('Message')).toHaveValue('');
    await openChatWith(alice, user);
    expect(screen.getByLabelText('Message')).toHaveValue('Half a thought');

    // A reload: a fresh app in the same browser.
    first.unmount();
    socket = installFakeSocket();
    await renderWorkspace(socket);
    await openChatWith(alice, user);
    expect(screen.getByLabelText('Message')).toHaveValue('Half a thought');

    await user.type(screen.getByLabelText('Message'), ', finished{Enter}');
    expect(screen.getByLabelText('Message')).toHaveValue('');
    await openChatWith(bob, user);
    await openChatWith(alice, user);
    expect(screen.getByLabelText('Message')).toHaveValue('');
  });
});
