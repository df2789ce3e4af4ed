import { describe, expect, it } from 'vitest';
import { makeMessage } from '../../test/fixtures';
import { mergeMessage, upsertMessages } from './messageStore';

const me = 'e00000000000000000000001';
const peer = 'f00000000000000000000002';

describe('mergeMessage: receipts only move forward', () => {
  const unread = makeMessage({ sender: me, receiver: peer });
  const read = { ...unread, isRead: true, readAt: '2026-01-02T12:05:00.000Z', deliveredAt: '2026-01-02T12:01:00.000Z' };

  it('takes newer receipts', () => {
    expect(mergeMessage(unread, read)).toEqual(read);
  });

  it('never goes back to unread or undelivered', () => {
    expect(mergeMessage(read, unread)).toEqual(read);
  });

  it('keeps the first known times', () => {
    const later = { ...read, readAt: '2026-01-03T00:00:00.000Z', deliveredAt: '2026-01-03T00:00:00.000Z' };
    expect(mergeMessage(read, later)).toMatchObject({ readAt: read.readAt, deliveredAt: read.deliveredAt });
  });
});

describe('upsertMessages', () => {
  it('adds new messages in creation order and reports them', () => {
    const late = makeMessage({ sender: peer, receiver: me, createdAt: '2026-01-02T10:00:00.000Z' });
    const early = makeMessage({ sender: peer, receiver: me, createdAt: '2026-01-02T09:00:00.000Z' });
    const result = upsertMessages([late], [early]);
    expect(result.messages).toEqual([early, late]);
    expect(result.added).toEqual([early]);
  });

  it('de-duplicates by id and by sender + clientMessageId', () => {
    const message = makeMessage({ sender: me, receiver: peer });
    const sameIdAgain = { ...message };
    const sameClientIdOtherCopy = { ...message, id: 'abcdefabcdefabcdefabcdef' };
    const result = upsertMessages([message], [sameIdAgain, sameClientIdOtherCopy]);
    expect(result.messages).toHaveLength(1);
    expect(result.added).toEqual([]);
  });

  it('does not confuse two senders who chose the same clientMessageId', () => {
    const mine = makeMessage({ sender: me, receiver: peer, clientMessageId: 'same_client_id' });
    const theirs = makeMessage({ sender: peer, receiver: me, clientMessageId: 'same_client_id' });
    expect(upsertMessages([mine], [theirs]).messages).toHaveLength(2);
  });

  it('returns the same array when nothing changed', () => {
    const existing = [makeMessage({ sender: peer, receiver: me })];
    const result = upsertMessages(existing, [{ ...existing[0]! }]);
    expect(result.changed).toBe(false);
    expect(result.messages).toBe(existing);
  });

  it('applies a forward receipt to a known message', () => {
    const sent = makeMessage({ sender: me, receiver: peer });
    const delivered = { ...sent, deliveredAt: '2026-01-02T12:00:01.000Z' };
    const result = upsertMessages([sent], [delivered]);
    expect(result.changed).toBe(true);
    expect(result.messages[0]?.deliveredAt).toBe(delivered.deliveredAt);
  });
});
