import type { AuthResponse, Message, User } from '@parley/protocol';

let counter = 0;

/** A 24-hex id, unique per call, with a readable prefix for debugging. */
export function makeId(prefix = 'a'): string {
  counter += 1;
  // Zero-padded before the counter: "c1" + zeros and "c10" + zeros would be the same id.
  return `${prefix}${counter.toString(16).padStart(24 - prefix.length, '0')}`.slice(0, 24);
}

export function makeUser(overrides: Partial<User> = {}): User {
  const username = overrides.username ?? `user${++counter}`;
  return {
    id: makeId('b'),
    username,
    displayName: username.charAt(0).toUpperCase() + username.slice(1),
    createdAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function makeMessage(overrides: Partial<Message> & Pick<Message, 'sender' | 'receiver'>): Message {
  const createdAt = overrides.createdAt ?? new Date(Date.UTC(2026, 0, 2, 12, 0, counter)).toISOString();
  return {
    id: makeId('c'),
    clientMessageId: `cm_${makeId('d')}`,
    content: 'Hello',
    createdAt,
    updatedAt: createdAt,
    isRead: false,
    readAt: null,
    deliveredAt: null,
    replyTo: null,
    editedAt: null,
    deletedAt: null,
    ...overrides,
  };
}

/** An unsigned JWT whose payload carries `exp` (seconds), enough for the client's decoding. */
export function makeToken(expiresInSeconds = 900, subject = 'me'): string {
  const encode = (value: object) =>
    btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const exp = Math.floor(Date.now() / 1000) + expiresInSeconds;
  return `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub: subject, exp, n: ++counter })}.signature`;
}

export function makeAuthResponse(user: User = makeUser({ username: 'ada', displayName: 'Ada Lovelace' })): AuthResponse {
  return { user, accessToken: makeToken() };
}
