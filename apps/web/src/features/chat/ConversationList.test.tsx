import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Conversation } from '@parley/protocol';
import { Workspace } from '../../app/SignedInApp';
import { alice, bob, fromAlice, me } from '../../test/chatHarness';
import { makeMessage, makeUser } from '../../test/fixtures';
import { installFakeSocket, type FakeSocket } from '../../test/fakeSocket';
import { makeFakeApi, renderWithSession } from '../../test/renderWithSession';

vi.mock('../../lib/socket', () => import('../../test/fakeSocket').then((m) => m.fakeSocketModule));

const carol = makeUser({ username: 'carol', displayName: 'Carol Danvers' });

let socket: FakeSocket;
beforeEach(() => {
  socket = installFakeSocket();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

function row(user: typeof alice, content: string, createdAt: string): Conversation {
  return { user, lastMessage: makeMessage({ sender: user.id, receiver: me.id, content, createdAt }), unreadCount: 0 };
}

// Newest first, as the server pages them: Alice on the first page; Bob, then Carol on the next ones.
const firstPage = { conversations: [row(alice, 'Hi!', '2026-01-03T10:00:00.000Z')], nextCursor: 'after-alice' };
const secondPage = {
  // The server's list moved while we scrolled: Alice again (already shown), then Bob.
  conversations: [row(alice, 'Hi!', '2026-01-03T10:00:00.000Z'), row(bob, 'Yo', '2026-01-02T10:00:00.000Z')],
  nextCursor: 'after-bob',
};
const lastPage = { conversations: [row(carol, 'Hello there', '2026-01-01T10:00:00.000Z')], nextCursor: null };

function renderPaged() {
  const api = makeFakeApi({
    conversations: vi.fn(async ({ before }: { before?: string | null } = {}) =>
      before === 'after-alice' ? secondPage : before === 'after-bob' ? lastPage : firstPage,
    ),
  });
  const view = renderWithSession(<Workspace />, { api, me });
  act(() => socket.acceptConnection());
  return view;
}

const chats = () => within(screen.getByRole('region', { name: 'Chats' }));
const chatNames = () =>
  chats()
    .getAllByRole('listitem')
    .map((item) => item.textContent ?? '');

describe('the conversation list, paged', () => {
  it('loads the first page, then each older page on "Load more chats" until there is none', async () => {
    const events = userEvent.setup();
    const { api } = renderPaged();
    await screen.findByRole('button', { name: /Alice Liddell/ });
    expect(api.conversations).toHaveBeenCalledWith({ limit: 50 });

    await events.click(chats().getByRole('button', { name: 'Load more chats' }));
    await screen.findByRole('button', { name: /Bob Builder/ });
    expect(api.conversations).toHaveBeenLastCalledWith({ limit: 50, before: 'after-alice' });
    // Alice came twice from the server and is listed once.
    expect(chatNames().filter((name) => name.includes('Alice Liddell'))).toHaveLength(1);

    await events.click(chats().getByRole('button', { name: 'Load more chats' }));
    await screen.findByRole('button', { name: /Carol Danvers/ });
    expect(api.conversations).toHaveBeenLastCalledWith({ limit: 50, before: 'after-bob' });
    expect(chatNames()).toHaveLength(3);
    expect(chats().queryByRole('button', { name: 'Load more chats' })).not.toBeInTheDocument();
  });

  it('loads the next page when the end of the list scrolls into view', async () => {
    const observers: { callback: IntersectionObserverCallback; observed: Element[] }[] = [];
    vi.stubGlobal(
      'IntersectionObserver',
      class {
        observed: Element[] = [];
        constructor(readonly callback: IntersectionObserverCallback) {
          observers.push(this);
        }
        observe(element: Element) {
          this.observed.push(element);
        }
        disconnect() {
          this.observed = [];
        }
      },
    );
    const { api } = renderPaged();
    await screen.findByRole('button', { name: /Alice Liddell/ });
    const watching = observers.find((observer) => observer.observed.length > 0)!;
    expect(watching.observed[0]).toContainElement(chats().getByRole('button', { name: 'Load more chats' }));

    act(() => watching.callback([{ isIntersecting: true } as IntersectionObserverEntry], watching as unknown as IntersectionObserver));

    await screen.findByRole('button', { name: /Bob Builder/ });
    expect(api.conversations).toHaveBeenLastCalledWith({ limit: 50, before: 'after-alice' });
  });

  it('moves a paged-in conversation to the top when a message arrives in it', async () => {
    const events = userEvent.setup();
    renderPaged();
    await screen.findByRole('button', { name: /Alice Liddell/ });
    await events.click(chats().getByRole('button', { name: 'Load more chats' }));
    await screen.findByRole('button', { name: /Bob Builder/ });
    expect(chatNames()[0]).toContain('Alice Liddell');

    act(() => socket.serverEmit('new_message', { message: makeMessage({ sender: bob.id, receiver: me.id, content: 'Back again', createdAt: new Date().toISOString() }) }));

    await waitFor(() => expect(chatNames()[0]).toContain('Back again'));
    expect(chatNames()).toHaveLength(2);
  });

  it('keeps its place further back when the first page is loaded again (a reconnect)', async () => {
    const events = userEvent.setup();
    const { api } = renderPaged();
    await screen.findByRole('button', { name: /Alice Liddell/ });
    await events.click(chats().getByRole('button', { name: 'Load more chats' }));
    await screen.findByRole('button', { name: /Bob Builder/ });

    act(() => socket.serverEmit('new_message', { message: fromAlice('A first message from someone new', { sender: makeUser().id }) }));
    await waitFor(() => expect(api.conversations).toHaveBeenCalledTimes(3)); // first, more, reload

    await events.click(chats().getByRole('button', { name: 'Load more chats' }));
    expect(api.conversations).toHaveBeenLastCalledWith({ limit: 50, before: 'after-bob' });
  });
});
