import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Message, SendMessagePayload } from '@parley/protocol';
import type { ParleySocket } from '../../lib/socket';
import { createStore } from '../../lib/store';
import { makeMessage, makeUser } from '../../test/fixtures';
import { FakeSocket } from '../../test/fakeSocket';
import { makeFakeApi } from '../../test/renderWithSession';
import { chatReducer, initialChatState } from './chatState';
import { createChatSync } from './chatSync';
import { loadOutbox } from './outbox';

// The sync module without React: a fake socket, a fake API, and a plain store as the dispatch.
const me = makeUser({ username: 'me' });
const alice = makeUser({ username: 'alice', displayName: 'Alice Liddell' });

function fromAlice(content: string, overrides: Partial<Message> = {}): Message {
  return makeMessage({ sender: alice.id, receiver: me.id, content, ...overrides });
}

let socket: FakeSocket;
beforeEach(() => {
  socket = new FakeSocket();
});
afterEach(() => {
  vi.useRealTimers();
});

function setUp(api = makeFakeApi()) {
  const store = createStore(initialChatState(me.id));
  const announce = vi.fn<(text: string) => void>();
  const sync = createChatSync({
    socket: socket as unknown as ParleySocket,
    api,
    meId: me.id,
    getState: store.get,
    dispatch: (action) => store.set(chatReducer(store.get(), action)),
    announce,
  });
  const stop = sync.start();
  return { store, sync, stop, announce, api };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('chatSync', () => {
  it('stores a live message from someone, announces it, counts it unread and acknowledges delivery', async () => {
    const message = fromAlice('Hello');
    const api = makeFakeApi();
    const { store, announce } = setUp(api);
    await flush();
    // Alice is new here: the reloaded conversation list is where her name comes from.
    api.conversations.mockResolvedValue({ conversations: [{ user: alice, lastMessage: message, unreadCount: 1 }], nextCursor: null });

    socket.serverEmit('new_message', { message });

    expect(store.get().messagesByPeer[alice.id]).toEqual([message]);
    expect(store.get().unreadByPeer[alice.id]).toBe(1);
    await flush();
    expect(announce).toHaveBeenCalledWith('New message from Alice Liddell: Hello');
    expect(announce).not.toHaveBeenCalledWith(expect.stringContaining('someone'));
    expect(socket.emitsOf('message_delivered').map((emit) => emit.payload)).toEqual([{ messageIds: [message.id] }]);
  });

  it('treats my own echo and an already stored message as no news', () => {
    const { store, announce } = setUp();
    const message = fromAlice('Once');
    socket.serverEmit('new_message', { message });
    announce.mockClear();

    socket.serverEmit('new_message', { message });
    socket.serverEmit('new_message', { message: makeMessage({ sender: me.id, receiver: alice.id, content: 'From my phone' }) });

    expect(announce).not.toHaveBeenCalled();
    expect(store.get().unreadByPeer[alice.id]).toBe(1);
    expect(store.get().messagesByPeer[alice.id]).toHaveLength(2);
  });

  it('reads what arrives in the conversation on screen, and marks it read on opening', () => {
    const { store, sync } = setUp();
    sync.setViewing(alice.id);
    expect(socket.emitsOf('mark_as_read').map((emit) => emit.payload)).toEqual([{ senderId: alice.id }]);

    socket.serverEmit('new_message', { message: fromAlice('While looking') });

    expect(socket.emitsOf('mark_as_read')).toHaveLength(2);
    expect(store.get().unreadByPeer[alice.id] ?? 0).toBe(0);
    expect(store.get().messagesByPeer[alice.id]?.[0]?.isRead).toBe(true);
  });

  it('catches up on connect and reloads the conversation list when something changed', async () => {
    const missed = fromAlice('While away');
    const api = makeFakeApi({
      sync: vi.fn(async () => ({ messages: [missed], nextSince: '2026-01-02T10:02:00.000Z', nextAfter: null, hasMore: false })),
    });
    const { store } = setUp(api);
    expect(api.conversations).toHaveBeenCalledTimes(1);

    socket.acceptConnection();
    await flush();

    expect(store.get().messagesByPeer[alice.id]).toEqual([missed]);
    expect(store.get().unreadByPeer[alice.id]).toBeUndefined(); // not live: the server's counts say
    expect(api.conversations).toHaveBeenCalledTimes(2);
  });

  it('sends the outbox once connected, and the ack clears it (also from storage)', () => {
    const { store, sync } = setUp();
    sync.send(alice.id, 'Queued');
    expect(socket.emitsOf('send_message')).toHaveLength(0);
    expect(loadOutbox(me.id)).toHaveLength(1);

    socket.acceptConnection();
    sync.setConnected(true);

    const [send] = socket.emitsOf('send_message');
    const payload = send?.payload as SendMessagePayload;
    expect(payload).toMatchObject({ receiverId: alice.id, content: 'Queued' });
    send?.ack?.({ ok: true, message: makeMessage({ sender: me.id, receiver: alice.id, content: 'Queued', clientMessageId: payload.clientMessageId! }) });

    expect(store.get().outbox).toEqual([]);
    expect(loadOutbox(me.id)).toEqual([]);
    expect(store.get().messagesByPeer[alice.id]?.map((m) => m.content)).toEqual(['Queued']);
  });

  it('stops listening, and sends nothing more, once stopped', () => {
    const { store, sync, stop } = setUp();
    stop();
    expect(socket.listenerCounts()).toEqual({});

    socket.serverEmit('new_message', { message: fromAlice('Too late') });
    sync.send(alice.id, 'After stop');
    sync.setConnected(true);

    expect(store.get().messagesByPeer[alice.id]).toBeUndefined();
    expect(socket.emitsOf('send_message')).toHaveLength(0);
  });
});
