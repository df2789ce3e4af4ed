import { act, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { alice, bob, fromAlice, me } from '../../test/chatHarness';
import { installFakeSocket, type FakeSocket } from '../../test/fakeSocket';
import { renderWithSession } from '../../test/renderWithSession';
import { useChatActions, useChatSelector } from './ChatContext';

vi.mock('../../lib/socket', () => import('../../test/fakeSocket').then((m) => m.fakeSocketModule));

let socket: FakeSocket;
beforeEach(() => {
  socket = installFakeSocket();
});

const renders: Record<string, number> = {};

function ThreadLength({ peerId, name }: { peerId: string; name: string }) {
  renders[name] = (renders[name] ?? 0) + 1;
  const count = useChatSelector((state) => state.messagesByPeer[peerId]?.length ?? 0);
  return <p data-testid={name}>{count}</p>;
}

function ActionsOnly() {
  renders.actions = (renders.actions ?? 0) + 1;
  useChatActions();
  return null;
}

describe('ChatProvider', () => {
  it('re-renders only the components whose selected part of the chat state changed', async () => {
    renderWithSession(
      <>
        <ThreadLength peerId={alice.id} name="alice" />
        <ThreadLength peerId={bob.id} name="bob" />
        <ActionsOnly />
      </>,
      { me },
    );
    act(() => socket.acceptConnection());
    await act(() => new Promise((resolve) => setTimeout(resolve, 30)));
    const before = { ...renders };

    act(() => socket.serverEmit('new_message', { message: fromAlice('Hi', { createdAt: new Date().toISOString() }) }));

    expect(screen.getByTestId('alice')).toHaveTextContent('1');
    expect(renders.alice).toBe(before.alice! + 1);
    expect(renders.bob).toBe(before.bob);
    expect(renders.actions).toBe(before.actions);
  });
});
