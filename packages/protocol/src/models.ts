import { z } from 'zod';
import { ClientMessageIdSchema, IdSchema, IsoDateSchema } from './fields.js';

export const UserSchema = z.object({
  id: IdSchema,
  username: z.string(),
  displayName: z.string(),
  createdAt: IsoDateSchema,
});
export type User = z.infer<typeof UserSchema>;

/** The caller's own user (`GET /api/users/me`, `PATCH /api/users/me` only): with privacy settings. */
export const MeUserSchema = UserSchema.extend({ showPresence: z.boolean() });
export type MeUser = z.infer<typeof MeUserSchema>;

/** A user as the people list shows them: the contract's User plus presence (additive). */
export const UserWithPresenceSchema = UserSchema.extend({
  online: z.boolean(),
  lastSeen: IsoDateSchema.nullable(),
});
export type UserWithPresence = z.infer<typeof UserWithPresenceSchema>;

/** How much of the quoted message a reply carries. */
export const REPLY_PREVIEW_MAX_LENGTH = 200;
export const ReplyPreviewSchema = z.object({
  id: IdSchema,
  sender: IdSchema,
  /** The first 200 characters of the quoted message ("" once it is deleted). */
  content: z.string(),
});
export type ReplyPreview = z.infer<typeof ReplyPreviewSchema>;

export const MessageSchema = z.object({
  id: IdSchema,
  clientMessageId: ClientMessageIdSchema,
  sender: IdSchema,
  receiver: IdSchema,
  content: z.string(),
  createdAt: IsoDateSchema,
  updatedAt: IsoDateSchema,
  isRead: z.boolean(),
  readAt: IsoDateSchema.nullable(),
  deliveredAt: IsoDateSchema.nullable(),
  // Version 2: reply, edit, delete. A deleted message keeps its id and times and has content "".
  replyTo: ReplyPreviewSchema.nullable(),
  editedAt: IsoDateSchema.nullable(),
  deletedAt: IsoDateSchema.nullable(),
});
export type Message = z.infer<typeof MessageSchema>;

export const ConversationSchema = z.object({
  user: UserSchema,
  lastMessage: MessageSchema,
  unreadCount: z.number().int().nonnegative(),
});
export type Conversation = z.infer<typeof ConversationSchema>;
