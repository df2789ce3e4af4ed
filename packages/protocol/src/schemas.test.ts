import { describe, expect, it } from 'vitest';
import {
  ClientMessageIdSchema,
  DisplayNameSchema,
  ContentSchema,
  CONTENT_MAX_LENGTH,
  LoginBodySchema,
  MessageDeliveredPayloadSchema,
  MessagesQuerySchema,
  RegisterBodySchema,
  SendMessagePayloadSchema,
  UsernameSchema,
  IdSchema,
  ConversationsQuerySchema,
  EditMessagePayloadSchema,
  HTTP_STATUS_BY_CODE,
  PresenceSubscribePayloadSchema,
  UpdateMeBodySchema,
} from './index.js';

const anId = '0123456789abcdef01234567';

describe('UsernameSchema', () => {
  it('accepts 3 and 32 characters and lower-cases', () => {
    expect(UsernameSchema.parse('abc')).toBe('abc');
    expect(UsernameSchema.parse('A'.repeat(32))).toBe('a'.repeat(32));
    expect(UsernameSchema.parse('  Alice_99 ')).toBe('alice_99');
  });
  it('refuses 2 and 33 characters and other symbols', () => {
    for (const bad of ['ab', 'a'.repeat(33), 'al ice', 'alice!', 'ålice', '', 42, null]) {
      expect(UsernameSchema.safeParse(bad).success, String(bad)).toBe(false);
    }
  });
});

describe('RegisterBodySchema / LoginBodySchema', () => {
  it('accepts the contract body, displayName optional', () => {
    expect(RegisterBodySchema.parse({ username: 'bob', password: '12345678' })).toEqual({
      username: 'bob',
      password: '12345678',
    });
    expect(
      RegisterBodySchema.parse({ username: 'bob', password: '12345678', displayName: ' Bob ' })
        .displayName,
    ).toBe('Bob');
  });
  it('bounds the password at 8 and 128', () => {
    expect(LoginBodySchema.safeParse({ username: 'bob', password: '1234567' }).success).toBe(false);
    expect(LoginBodySchema.safeParse({ username: 'bob', password: 'x'.repeat(128) }).success).toBe(true);
    expect(LoginBodySchema.safeParse({ username: 'bob', password: 'x'.repeat(129) }).success).toBe(false);
  });
  it('refuses operator objects, wrong types and unknown keys', () => {
    expect(LoginBodySchema.safeParse({ username: { $gt: '' }, password: '12345678' }).success).toBe(false);
    expect(LoginBodySchema.safeParse({ username: 'bob', password: 12345678 }).success).toBe(false);
    expect(LoginBodySchema.safeParse({ username: 'bob', password: '12345678', admin: true }).success).toBe(false);
    expect(LoginBodySchema.safeParse({ username: 'bob' }).success).toBe(false);
  });
});

describe('ContentSchema', () => {
  it('trims and bounds content at 1..4000 after trimming', () => {
    expect(ContentSchema.parse('  hi  ')).toBe('hi');
    expect(ContentSchema.safeParse('   ').success).toBe(false);
    expect(ContentSchema.safeParse(' ' + 'x'.repeat(CONTENT_MAX_LENGTH) + ' ').success).toBe(true);
    expect(ContentSchema.safeParse('x'.repeat(CONTENT_MAX_LENGTH + 1)).success).toBe(false);
  });
});

describe('ContentSchema: invisible-only messages', () => {
  it.each([
    ['zero-width spaces', '\u200B\u200B'],
    ['a word joiner and a BOM', '\u2060\uFEFF'],
    ['bidi controls', '\u202E\u2066\u2069'],
    ['Hangul fillers', '\u3164\u115F'],
    ['a braille blank', '\u2800'],
    ['no-break and ideographic spaces', '\u00A0\u3000'],
  ])('refuses a message of only %s', (_label, content) => {
    expect(ContentSchema.safeParse(content).success).toBe(false);
  });
  it('keeps a message with something visible, invisible characters and all', () => {
    expect(ContentSchema.parse('\u200Bhi\u200B')).toBe('\u200Bhi\u200B');
    expect(ContentSchema.safeParse('👍').success).toBe(true);
    expect(ContentSchema.safeParse('👨\u200D👩\u200D👧').success).toBe(true);
  });
});

describe('DisplayNameSchema', () => {
  it.each([
    ['a right-to-left override', 'admin\u202Enigol'],
    ['a right-to-left isolate', 'Bob\u2067'],
    ['a zero-width space', 'Al\u200Bice'],
    ['a zero-width joiner', 'Al\u200Dice'],
    ['a byte-order mark inside', 'Ali\uFEFFce'],
    ['a control character', 'Ali\u0007ce'],
  ])('refuses %s', (_label, name) => {
    expect(DisplayNameSchema.safeParse(name).success).toBe(false);
  });
  it('accepts names in any script', () => {
    for (const name of ['Alice', 'Zoë Ångström', 'محمد', 'דוד', '李小龙', 'Ana-María O’Neil']) {
      expect(DisplayNameSchema.safeParse(name).success, name).toBe(true);
    }
  });
});

describe('ClientMessageIdSchema', () => {
  it('takes 8..64 of [A-Za-z0-9_-]', () => {
    expect(ClientMessageIdSchema.safeParse('abcdEFG_').success).toBe(true);
    expect(ClientMessageIdSchema.safeParse('a'.repeat(64)).success).toBe(true);
    expect(ClientMessageIdSchema.safeParse('a'.repeat(7)).success).toBe(false);
    expect(ClientMessageIdSchema.safeParse('a'.repeat(65)).success).toBe(false);
    expect(ClientMessageIdSchema.safeParse('abcd efgh').success).toBe(false);
  });
});

describe('socket payloads', () => {
  it('send_message drops a client-sent sender and keeps the rest', () => {
    const parsed = SendMessagePayloadSchema.parse({
      receiverId: anId,
      content: ' hi ',
      senderId: 'ffffffffffffffffffffffff',
    });
    expect(parsed).toEqual({ receiverId: anId, content: 'hi' });
  });
  it('ids are 24 lower-case hex characters', () => {
    expect(IdSchema.safeParse(anId).success).toBe(true);
    expect(IdSchema.safeParse(anId.toUpperCase()).success).toBe(false);
    expect(IdSchema.safeParse({ $ne: null }).success).toBe(false);
  });
  it('message_delivered takes 1..100 ids', () => {
    expect(MessageDeliveredPayloadSchema.safeParse({ messageIds: [] }).success).toBe(false);
    expect(MessageDeliveredPayloadSchema.safeParse({ messageIds: Array(100).fill(anId) }).success).toBe(true);
    expect(MessageDeliveredPayloadSchema.safeParse({ messageIds: Array(101).fill(anId) }).success).toBe(false);
  });
});

describe('MessagesQuerySchema', () => {
  it('defaults limit to 50 and bounds it at 1..100', () => {
    expect(MessagesQuerySchema.parse({})).toEqual({ limit: 50 });
    expect(MessagesQuerySchema.parse({ limit: '100' }).limit).toBe(100);
    expect(MessagesQuerySchema.safeParse({ limit: '0' }).success).toBe(false);
    expect(MessagesQuerySchema.safeParse({ limit: '101' }).success).toBe(false);
    expect(MessagesQuerySchema.safeParse({ before: 'nope' }).success).toBe(false);
  });
});

describe('version 2 additions', () => {
  it('send_message takes an optional replyToId that must be an id', () => {
    expect(SendMessagePayloadSchema.parse({ receiverId: anId, content: 'hi', replyToId: anId }).replyToId).toBe(anId);
    expect(SendMessagePayloadSchema.safeParse({ receiverId: anId, content: 'hi', replyToId: 'nope' }).success).toBe(false);
  });
  it('presence_subscribe takes 0 to 200 ids', () => {
    expect(PresenceSubscribePayloadSchema.safeParse({ userIds: [] }).success).toBe(true);
    expect(PresenceSubscribePayloadSchema.safeParse({ userIds: Array(200).fill(anId) }).success).toBe(true);
    expect(PresenceSubscribePayloadSchema.safeParse({ userIds: Array(201).fill(anId) }).success).toBe(false);
  });
  it('PATCH /api/users/me needs something to change and nothing unknown', () => {
    expect(UpdateMeBodySchema.safeParse({}).success).toBe(false);
    expect(UpdateMeBodySchema.safeParse({ showPresence: false }).success).toBe(true);
    expect(UpdateMeBodySchema.safeParse({ showPresence: false, admin: true }).success).toBe(false);
  });
  it('edit_message takes content by the same rules as a send', () => {
    expect(EditMessagePayloadSchema.safeParse({ messageId: anId, content: '   ' }).success).toBe(false);
    expect(EditMessagePayloadSchema.parse({ messageId: anId, content: ' fixed ' }).content).toBe('fixed');
  });
  it('conversations paging defaults to 50 and caps at 100', () => {
    expect(ConversationsQuerySchema.parse({}).limit).toBe(50);
    expect(ConversationsQuerySchema.safeParse({ limit: '101' }).success).toBe(false);
  });
  it('every v2 error code has an HTTP status', () => {
    for (const code of ['WEAK_PASSWORD', 'TOO_MANY_ATTEMPTS', 'TOO_MANY_CONNECTIONS', 'SESSION_REVOKED', 'CLIENT_TOO_OLD'] as const) {
      expect(HTTP_STATUS_BY_CODE[code]).toBeGreaterThanOrEqual(400);
    }
  });
});
