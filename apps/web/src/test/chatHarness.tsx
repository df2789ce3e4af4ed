import type { ReactNode } from 'react';
import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { vi } from 'vitest';
import type { Message, SendMessagePayload, User } from '@parley/protocol';
import { Workspace } from '../app/SignedInApp';
import { makeMessage, makeUser } from './fixtures';
import type { FakeSocket } from './fakeSocket';
import { makeFakeApi, renderWithSession } from './renderWithSession';

export const me = makeUser({ username: 'me', displayName: 'Me Myself' });
export const alice = makeUser({ username: 'alice', displayName: 'Alice Liddell' });
export const bob = makeUser({ username: 'bob', displayName: 'Bob Builder' });

export function fromAlice(content: string, overrides: Partial<Message> = {}): Message {
  return makeMessage({ sender: alice.id, receiver: me.id, content, ...overrides });
}

export function toAlice(content: string, overrides: Partial<Message> = {}): Message {
  return makeMessage({ sender: me.id, receiver: alice.id, content, ...overrides });
}

/**
 * The signed-in workspace with Alice and Bob as conversations, connected. Alice's newest page
 * of history is `aliceHistory` (with `aliceNextCursor` when older pages exist).
 */
/** The message as the server would store it from this send payload: what the ack carries. */
export function storedCopyOf(payload: SendMessagePayload): Message {
  return makeMessage({
    sender: me.id,
    receiver: payload.receiverId,
    content: payload.content,
    clientMessageId: payload.clientMessageId ?? 'missing',
    createdAt: new Date().toISOString(),
  });
}

export async function renderWorkspace(
  socket: FakeSocket,
  {
    aliceHistory = [fromAlice('Hi!')],
    aliceUnread = 0,
    aliceNextCursor = null,
    extra,
  }: { aliceHistory?: Message[]; aliceUnread?: number; aliceNextCursor?: string | null; extra?: ReactNode } = {},
) {
  const bobMessage = makeMessage({ sender: bob.id, receiver: me.id, content: 'Yo', createdAt: '2026-01-01T08:00:00.000Z' });
  const api = makeFakeApi({
    conversations: vi.fn(async () => ({ conversations: [
      { user: alice, lastMessage: aliceHistory[aliceHistory.length - 1] ?? fromAlice('Hi!'), unreadCount: aliceUnread },
      { user: bob, lastMessage: bobMessage, unreadCount: 0 },
    ], nextCursor: null })),
    messages: vi.fn(async () => ({ messages: aliceHistory, nextCursor: aliceNextCursor })),
  });
  const view = renderWithSession(
    <>
      <Workspace />
      {extra}
    </>,
    { api, me },
  );
  act(() => socket.acceptConnection());
  await screen.findByRole('button', { name: /Alice Liddell/ });
  return view;
}

export async function openChatWith(user: User, events = userEvent.setup()) {
  await events.click(screen.getByRole('button', { name: new RegExp(user.displayName) }));
  return screen.findByRole('list', { name: 'Messages' });
}

/** A history route over `all` (oldest first) that pages like the server: `pageSize` a page, `before` going back. */
export function servePages(all: readonly Message[], pageSize = 50) {
  return async (_peerId: string, before?: string | null) => {
    const end = before ? all.findIndex((m) => m.id === before) : all.length;
    const start = Math.max(0, end - pageSize);
    return { messages: all.slice(start, end), nextCursor: start > 0 ? all[start]!.id : null };
  };
}
