import { z } from 'zod';
import {
  DisplayNameSchema,
  IdSchema,
  IsoDateSchema,
  PasswordSchema,
  UsernameSchema,
} from './fields.js';
import { ConversationSchema, MessageSchema, MeUserSchema, UserSchema, UserWithPresenceSchema } from './models.js';

export const API_PREFIX = '/api';
/** The refresh cookie's name and path: it is sent to the auth routes only. */
export const REFRESH_COOKIE_NAME = 'parley_rt';
export const REFRESH_COOKIE_PATH = '/api/auth';

// Bodies are strict: an unknown key is a client bug worth hearing about.
export const RegisterBodySchema = z.strictObject({
  username: UsernameSchema,
  password: PasswordSchema,
  displayName: DisplayNameSchema.optional(),
});
export type RegisterBody = z.input<typeof RegisterBodySchema>;

export const LoginBodySchema = z.strictObject({
  username: UsernameSchema,
  password: PasswordSchema,
});
export type LoginBody = z.input<typeof LoginBodySchema>;

export const AuthResponseSchema = z.object({ user: UserSchema, accessToken: z.string() });
export type AuthResponse = z.infer<typeof AuthResponseSchema>;

export const MeResponseSchema = z.object({ user: MeUserSchema });
export type MeResponse = z.infer<typeof MeResponseSchema>;

/** `PATCH /api/users/me` (v2): at least one of the two. */
export const UpdateMeBodySchema = z
  .strictObject({ displayName: DisplayNameSchema.optional(), showPresence: z.boolean().optional() })
  .refine((body) => body.displayName !== undefined || body.showPresence !== undefined, {
    message: 'nothing to change',
  });
export type UpdateMeBody = z.input<typeof UpdateMeBodySchema>;

export const UsersQuerySchema = z.object({ q: z.string().trim().max(64).optional() });
export type UsersQuery = z.infer<typeof UsersQuerySchema>;

export const UsersResponseSchema = z.object({ users: z.array(UserWithPresenceSchema) });
export type UsersResponse = z.infer<typeof UsersResponseSchema>;

export const CONVERSATIONS_PAGE_DEFAULT = 50;
export const CONVERSATIONS_PAGE_MAX = 100;

/** `GET /api/conversations?limit=&before=` (v2): `before` is an opaque cursor from `nextCursor`. */
export const ConversationsQuerySchema = z.object({
  before: z.string().min(1).max(128).optional(),
  limit: z.coerce.number().int().min(1).max(CONVERSATIONS_PAGE_MAX).default(CONVERSATIONS_PAGE_DEFAULT),
});
export type ConversationsQuery = z.input<typeof ConversationsQuerySchema>;

export const ConversationsResponseSchema = z.object({
  conversations: z.array(ConversationSchema),
  /** v2: feeds `before` for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type ConversationsResponse = z.infer<typeof ConversationsResponseSchema>;

export const MESSAGES_PAGE_DEFAULT = 50;
export const MESSAGES_PAGE_MAX = 100;

export const MessagesParamsSchema = z.object({ userId: IdSchema });

export const MessagesQuerySchema = z.object({
  before: IdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(MESSAGES_PAGE_MAX).default(MESSAGES_PAGE_DEFAULT),
});
export type MessagesQuery = z.input<typeof MessagesQuerySchema>;

export const MessagesPageSchema = z.object({
  messages: z.array(MessageSchema),
  nextCursor: IdSchema.nullable(),
});
export type MessagesPage = z.infer<typeof MessagesPageSchema>;

/** v2 (additive): search in the messages of one conversation, newest hit first, paged. */
export const MESSAGE_SEARCH_PAGE = 20;
export const MessageSearchQuerySchema = z.object({
  q: z.string().trim().min(1).max(100),
  /** The last hit of the previous page: the next page holds older hits. */
  before: IdSchema.optional(),
});
export type MessageSearchQuery = z.input<typeof MessageSearchQuerySchema>;

export const MessageSearchResponseSchema = z.object({
  /** Newest first. */
  messages: z.array(MessageSchema),
  nextCursor: IdSchema.nullable(),
});
export type MessageSearchResponse = z.infer<typeof MessageSearchResponseSchema>;

/**
 * Catch-up (additive, Day 5): every message to or from the caller whose state changed
 * (created, delivered, read) at a position after (`since`, `after`), oldest change first.
 * Without `after`, every change at or after `since` is included. A reconnecting client asks
 * from a few seconds before its last `nextSince` and de-duplicates by id: the overlap absorbs
 * writes that were committed a moment after a later one was already read.
 */
export const SYNC_PAGE_MAX = 500;
/**
 * How far before its last `nextSince` a client asks again. It covers writes committed just after
 * a later-stamped one was read, and clocks of different server nodes up to 2 s apart (proved by
 * apps/server/src/cluster/clockSkew.test.ts; docs/decisions/0008-catch-up-cursor.md).
 */
export const SYNC_OVERLAP_MS = 5_000;
export const SyncQuerySchema = z.object({
  since: IsoDateSchema,
  after: IdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(SYNC_PAGE_MAX).default(SYNC_PAGE_MAX),
});
export type SyncQuery = z.input<typeof SyncQuerySchema>;

export const SyncResponseSchema = z.object({
  messages: z.array(MessageSchema),
  /** With `nextAfter`, the position of the last change returned: pass both to read on. */
  nextSince: IsoDateSchema,
  nextAfter: IdSchema.nullable(),
  /** True when `limit` cut the answer: ask again at once from (`nextSince`, `nextAfter`). */
  hasMore: z.boolean(),
});
export type SyncResponse = z.infer<typeof SyncResponseSchema>;

// ---- sessions and accounts (v2) ---------------------------------------------------------------

export const SessionSchema = z.object({
  id: IdSchema,
  createdAt: IsoDateSchema,
  lastUsedAt: IsoDateSchema,
  userAgent: z.string().nullable(),
  /** The session this request was made with. */
  current: z.boolean(),
});
export type Session = z.infer<typeof SessionSchema>;

export const SessionsResponseSchema = z.object({ sessions: z.array(SessionSchema) });
export type SessionsResponse = z.infer<typeof SessionsResponseSchema>;

export const SessionParamsSchema = z.object({ id: IdSchema });

export const ChangePasswordBodySchema = z.strictObject({
  currentPassword: z.string().min(1).max(128),
  newPassword: PasswordSchema,
});
export type ChangePasswordBody = z.input<typeof ChangePasswordBodySchema>;

export const HealthResponseSchema = z.object({ status: z.literal('ok') });
export type HealthResponse = z.infer<typeof HealthResponseSchema>;
