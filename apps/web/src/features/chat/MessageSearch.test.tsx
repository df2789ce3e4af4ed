import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Message } from '@parley/protocol';
import { Workspace } from '../../app/SignedInApp';
import { alice, fromAlice, me, openChatWith, servePages } from '../../test/chatHarness';
import { installFakeSocket, type FakeSocket } from '../../test/fakeSocket';
import { makeFakeApi, renderWithSession } from '../../test/renderWithSession';

vi.mock('../../lib/socket', () => import('../../test/fakeSocket').then((m) => m.fakeSocketModule));

let socket: FakeSocket;
beforeEach(() => {
  socket = installFakeSocket();
});

const all: Message[] = Array.from({ length: 120 }, (_, i) =>
  fromAlice(i === 3 ? 'The secret Pie recipe' : `Message ${i + 1}`, { createdAt: new Date(Date.UTC(2026, 0, 2, 9, 0, i)).toISOString(), isRead: true }),
);

function setUp() {
  const api = makeFakeApi({
    conversations: vi.fn(async () => ({ conversations: [{ user: alice, lastMessage: all.at(-1)!, unreadCount: 0 }], nextCursor: null })),
    messages: vi.fn(servePages(all)),
    searchMessages: vi.fn(async (_peer: string, _q: string, before?: string | null) =>
      before ? { messages: [all[3]!], nextCursor: null } : { messages: [fromAlice('Apple pie tonight?')], nextCursor: 'c'.repeat(24) },
    ),
  });
  renderWithSession(<Workspace />, { api, me });
  act(() => socket.acceptConnection());
  return api;
}

describe('search in the messages of a chat', () => {
  it('asks the server, highlights the hits, pages on, and jumps to an old message with its history', { timeout: 15_000 }, async () => {
    const user = userEvent.setup();
    const api = setUp();
    await screen.findByRole('button', { name: /Alice Liddell/ });
    const messages = await openChatWith(alice, user);
    expect(api.messages).toHaveBeenCalledTimes(1);

    await user.click(screen.getByRole('button', { name: 'Search in this chat' }));
    await user.type(screen.getByLabelText('Search messages'), 'pie');
    const results = await screen.findByRole('list', { name: 'Search results' });
    await waitFor(() => expect(api.searchMessages).toHaveBeenLastCalledWith(alice.id, 'pie'));
    expect(within(results).getByText('pie', { selector: 'mark' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'More results' }));
    const old = await within(results).findByRole('button', { name: /The secret Pie recipe/ });
    expect(within(old).getByText('Pie', { selector: 'mark' })).toBeInTheDocument();

    await user.click(old);
    // Message 4 is two pages back: the thread pages back to it, then focuses it.
    await waitFor(() => expect(api.messages.mock.calls.length).toBeGreaterThan(1));
    const bubble = await within(messages).findByText('The secret Pie recipe', {}, { timeout: 4000 });
    const row = bubble.closest('[role="listitem"]') as HTMLElement;
    await waitFor(() => expect(row).toHaveFocus());
    expect(row).toHaveClass('thread__item--found');
    expect(api.messages).toHaveBeenCalledTimes(3);
    expect(within(messages).getByText('Message 120')).toBeInTheDocument();
  });

  it('Escape closes the search, not the chat', async () => {
    const user = userEvent.setup();
    setUp();
    await screen.findByRole('button', { name: /Alice Liddell/ });
    await openChatWith(alice, user);
    await user.click(screen.getByRole('button', { name: 'Search in this chat' }));
    await user.keyboard('{Escape}');
    expect(screen.queryByLabelText('Search messages')).not.toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Chat with Alice Liddell' })).toBeInTheDocument();
  });
});
