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

const PAGE = 50;

/** 150 messages from Alice, the newest `unread` of them unread, served 50 a page like the server. */
function aliceWith(unread: number) {
  const all: Message[] = Array.from({ length: 150 }, (_, i) =>
    fromAlice(`Message ${i + 1}`, { createdAt: new Date(Date.UTC(2026, 0, 2, 9, 0, i)).toISOString(), isRead: i < 150 - unread }),
  );
  const api = makeFakeApi({
    conversations: vi.fn(async () => ({ conversations: [{ user: alice, lastMessage: all.at(-1)!, unreadCount: unread }], nextCursor: null })),
    messages: vi.fn(servePages(all, PAGE)),
  });
  return { all, api };
}

/** The workspace with Alice's conversation listed, `unread` of her 150 messages unread. */
async function renderWithAlice(unread: number) {
  const { api } = aliceWith(unread);
  renderWithSession(<Workspace />, { api, me });
  act(() => socket.acceptConnection());
  const row = await screen.findByRole('button', { name: /Alice Liddell/ });
  return { api, row };
}

describe('unread that helps', () => {
  it('shows a chat with unread messages in bold in the list', async () => {
    const { row } = await renderWithAlice(3);
    expect(row).toHaveClass('row--unread');
    expect(within(row).getByLabelText('3 unread')).toBeInTheDocument();
  });

  it('opens at the first of 120 unread messages under a "New messages" divider, paging back to reach it', async () => {
    const { api } = await renderWithAlice(120);
    const messages = await openChatWith(alice, userEvent.setup());

    const divider = await within(messages).findByText('New messages');
    // Message 31 is the first unread one (150 - 120 + 1): the divider sits in its row, above it.
    const row = divider.closest('[role="listitem"]') as HTMLElement;
    expect(within(row).getByText('Message 31')).toBeInTheDocument();
    expect(within(messages).getAllByText('New messages')).toHaveLength(1);
    await waitFor(() => expect(api.messages).toHaveBeenCalledTimes(3));
    // Opening read them all: the list's bold and badge are gone.
    expect(screen.getByRole('button', { name: /Alice Liddell/ })).not.toHaveClass('row--unread');
  });

  it('opens at the newest message, without a divider, when nothing is unread', async () => {
    const { api } = await renderWithAlice(0);
    const messages = await openChatWith(alice, userEvent.setup());
    await within(messages).findByText('Message 150');
    expect(within(messages).queryByText('New messages')).not.toBeInTheDocument();
    expect(api.messages).toHaveBeenCalledTimes(1);
  });

  it('after a reload at the chat address, still opens at the first unread (the server kept the read position)', async () => {
    const { api } = aliceWith(5);
    renderWithSession(<Workspace />, { api, me, path: '/chat/alice' });
    act(() => socket.acceptConnection());
    const messages = await screen.findByRole('list', { name: 'Messages' });
    const divider = await within(messages).findByText('New messages');
    expect(within(divider.closest('[role="listitem"]') as HTMLElement).getByText('Message 146')).toBeInTheDocument();
  });
});
