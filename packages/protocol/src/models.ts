import { z } from 'zod';
import { ClientMessageIdSchema, IdSchema, IsoDateSchema } from './fields.js';

export const UserSchema = z.object({
  id: IdSchema,
  username: z.string(),
  displayName: z.string(),
  createdAt: IsoDateSchema,
});
export type User = z.infer<typeof UserSchema>;

/** A user as the people list shows them: the contract's User plus presence (additive). */
export const UserWithPresenceSchema = UserSchema.extend({
  online: z.boolean(),
  lastSeen: IsoDateSchema.nullable(),
});
export type UserWithPresence = z.infer<typeof UserWithPresenceSchema>;

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
});
export type Message = z.infer<typeof MessageSchema>;

export const ConversationSchema = z.object({
  user: UserSchema,
  lastMessage: MessageSchema,
  unreadCount: z.number().int().nonnegative(),
});
export type Conversation = z.infer<typeof ConversationSchema>;
