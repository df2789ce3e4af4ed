import { describe, expect, it } from 'vitest';
import { makeMessage, makeUser } from '../../test/fixtures';
import { chatReducer, initialChatState, type ChatState } from './chatState';
import type { OutboxEntry } from './outbox';

const me = makeUser({ username: 'me' });
const alice = makeUser({ username: 'alice' });

function fromAlice(content = 'hi') {
  return makeMessage({ sender: alice.id, receiver: me.id, content });
}

function live(state: ChatState, message = fromAlice(), viewingPeerId: string | null = null) {
  return chatReducer(state, { type: 'messagesReceived', messages: [message], live: true, viewingPeerId });
}

describe('chatReducer', () => {
  it('counts a live incoming message as unread once, and not while its conversation is on screen', () => {
    const message = fromAlice();
    let state = live(initialChatState(me.id), message);
    state = live(state, message); // the same message again
    expect(state.unreadByPeer[alice.id]).toBe(1);

    state = live(state, fromAlice('another'), alice.id);
    expect(state.unreadByPeer[alice.id]).toBe(1);
  });

  it('does not count history or catch-up as new unread', () => {
    const state = chatReducer(initialChatState(me.id), {
      type: 'messagesReceived',
      messages: [fromAlice(), fromAlice()],
      live: false,
      viewingPeerId: null,
    });
    expect(state.unreadByPeer[alice.id]).toBeUndefined();
    expect(state.messagesByPeer[alice.id]).toHaveLength(2);
  });

  it('takes unread counts from the conversation list, except for the conversation on screen', () => {
    const conversations = [{ user: alice, lastMessage: fromAlice(), unreadCount: 4 }];
    expect(chatReducer(initialChatState(me.id), { type: 'conversationsLoaded', conversations, viewingPeerId: null }).unreadByPeer[alice.id]).toBe(4);
    expect(chatReducer(initialChatState(me.id), { type: 'conversationsLoaded', conversations, viewingPeerId: alice.id }).unreadByPeer[alice.id]).toBe(0);
  });

  it('drops an outbox entry once the server has the message, however it arrives', () => {
    const entry: OutboxEntry = {
      clientMessageId: 'client_id_123',
      receiverId: alice.id,
      content: 'hello',
      createdAt: new Date().toISOString(),
      state: 'sending',
      attempts: 1,
      permanent: false,
    };
    const stored = makeMessage({ sender: me.id, receiver: alice.id, content: 'hello', clientMessageId: entry.clientMessageId });
    const state = chatReducer(initialChatState(me.id, [entry]), {
      type: 'messagesReceived',
      messages: [stored],
      live: false,
      viewingPeerId: null,
    });
    expect(state.outbox).toEqual([]);
    expect(state.messagesByPeer[alice.id]).toEqual([stored]);
  });

  it("marks only messages written by the reader's readAt as read", () => {
    const early = makeMessage({ sender: me.id, receiver: alice.id, createdAt: '2026-01-02T10:00:00.000Z' });
    const late = makeMessage({ sender: me.id, receiver: alice.id, createdAt: '2026-01-02T10:10:00.000Z' });
    let state = chatReducer(initialChatState(me.id), { type: 'messagesReceived', messages: [early, late], live: false, viewingPeerId: null });
    state = chatReducer(state, { type: 'messagesRead', event: { readerId: alice.id, senderId: me.id, readAt: '2026-01-02T10:05:00.000Z' } });
    expect(state.messagesByPeer[alice.id]?.map((m) => m.isRead)).toEqual([true, false]);
  });

  it('sets deliveredAt only where it was unknown', () => {
    const message = makeMessage({ sender: me.id, receiver: alice.id, deliveredAt: '2026-01-02T10:00:00.000Z' });
    const pending = makeMessage({ sender: me.id, receiver: alice.id });
    let state = chatReducer(initialChatState(me.id), { type: 'messagesReceived', messages: [message, pending], live: false, viewingPeerId: null });
    state = chatReducer(state, { type: 'messagesDelivered', messageIds: [message.id, pending.id], deliveredAt: '2026-01-02T11:00:00.000Z' });
    expect(state.messagesByPeer[alice.id]?.map((m) => m.deliveredAt)).toEqual(['2026-01-02T10:00:00.000Z', '2026-01-02T11:00:00.000Z']);
  });

  describe('edits and deletes in the outbox', () => {
    const send: OutboxEntry = {
      clientMessageId: 'send_id_123',
      receiverId: alice.id,
      content: 'helo',
      createdAt: new Date().toISOString(),
      state: 'sending',
      attempts: 1,
      permanent: false,
    };
    const change = (kind: 'edit' | 'delete', content = ''): OutboxEntry => ({
      ...send,
      clientMessageId: `${kind}_id_${content.length}`,
      content,
      kind,
      target: { clientMessageId: send.clientMessageId, messageId: null },
    });

    it('an edit written while its message was on its way learns the id when the stored copy arrives', () => {
      const stored = makeMessage({ sender: me.id, receiver: alice.id, content: 'helo', clientMessageId: send.clientMessageId });
      const state = chatReducer(initialChatState(me.id, [send, change('edit', 'hello')]), {
        type: 'messagesReceived',
        messages: [stored],
        live: false,
        viewingPeerId: null,
      });
      expect(state.outbox.map((entry) => [entry.kind, entry.target?.messageId])).toEqual([['edit', stored.id]]);
    });

    it('a send refused for good takes the edits queued for it; a delete drops it', () => {
      const refuse = (outbox: OutboxEntry[]) =>
        chatReducer(initialChatState(me.id, outbox), { type: 'outboxFailed', clientMessageId: send.clientMessageId, permanent: true }).outbox;
      expect(refuse([send, change('edit', 'hello'), change('edit', 'hello!')]).map((e) => [e.clientMessageId, e.content, e.state])).toEqual([
        [send.clientMessageId, 'hello!', 'failed'],
      ]);
      expect(refuse([send, change('edit', 'hello'), change('delete')])).toEqual([]);
    });

    it('quotes follow an edit or delete of the message they quote', () => {
      const original = fromAlice('first words');
      const reply = makeMessage({ sender: me.id, receiver: alice.id, content: 're', replyTo: { id: original.id, sender: alice.id, content: 'first words' } });
      const loaded = chatReducer(initialChatState(me.id), { type: 'messagesReceived', messages: [original, reply], live: false, viewingPeerId: null });
      const later = new Date(Date.parse(original.updatedAt) + 1000).toISOString();
      const edited = chatReducer(loaded, { type: 'messageUpdated', message: { ...original, content: 'better words', editedAt: later, updatedAt: later } });
      expect(edited.messagesByPeer[alice.id]?.map((m) => [m.content, m.replyTo?.content ?? null])).toEqual([
        ['better words', null],
        ['re', 'better words'],
      ]);
      // A stale copy (an older history page) never brings the old text back.
      const stale = chatReducer(edited, { type: 'messagesReceived', messages: [original], live: false, viewingPeerId: null });
      expect(stale.messagesByPeer[alice.id]?.[0]?.content).toBe('better words');
    });
  });
});
