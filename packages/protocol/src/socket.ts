import { z } from 'zod';
import { ApiErrorSchema } from './errors.js';
import { ClientMessageIdSchema, ContentSchema, IdSchema, IsoDateSchema } from './fields.js';
import { MessageSchema } from './models.js';

// ---- client -> server payloads ----------------------------------------------------------------
// Objects are not strict: a client may send extra keys (an old `senderId`, say); they are dropped.

export const SendMessagePayloadSchema = z.object({
  receiverId: IdSchema,
  content: ContentSchema,
  clientMessageId: ClientMessageIdSchema.optional(),
  /** v2: a message of the same conversation, else VALIDATION_ERROR. */
  replyToId: IdSchema.optional(),
});
export type SendMessagePayload = z.input<typeof SendMessagePayloadSchema>;

/** v2: only the sender, never a deleted message (FORBIDDEN otherwise). */
export const EditMessagePayloadSchema = z.object({ messageId: IdSchema, content: ContentSchema });
export type EditMessagePayload = z.input<typeof EditMessagePayloadSchema>;

/** v2: only the sender; deletes for both people; deleting twice answers ok with the same message. */
export const DeleteMessagePayloadSchema = z.object({ messageId: IdSchema });
export type DeleteMessagePayload = z.infer<typeof DeleteMessagePayloadSchema>;

/** v2: 0-200 ids; replaces this socket's previous set. */
export const PRESENCE_SUBSCRIBE_MAX = 200;
export const PresenceSubscribePayloadSchema = z.object({
  userIds: z.array(IdSchema).max(PRESENCE_SUBSCRIBE_MAX),
});
export type PresenceSubscribePayload = z.infer<typeof PresenceSubscribePayloadSchema>;

export const MarkAsReadPayloadSchema = z.object({ senderId: IdSchema });
export type MarkAsReadPayload = z.infer<typeof MarkAsReadPayloadSchema>;

export const TypingPayloadSchema = z.object({ receiverId: IdSchema });
export type TypingPayload = z.infer<typeof TypingPayloadSchema>;

export const DELIVERED_IDS_MAX = 100;
export const MessageDeliveredPayloadSchema = z.object({
  messageIds: z.array(IdSchema).min(1).max(DELIVERED_IDS_MAX),
});
export type MessageDeliveredPayload = z.infer<typeof MessageDeliveredPayloadSchema>;

// ---- acks --------------------------------------------------------------------------------------

export const FailedAckSchema = z.object({ ok: z.literal(false), error: ApiErrorSchema });
export type FailedAck = z.infer<typeof FailedAckSchema>;

export const SendMessageAckSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), message: MessageSchema }),
  FailedAckSchema,
]);
export type SendMessageAck = z.infer<typeof SendMessageAckSchema>;

/** The ack of `edit_message` and `delete_message`: the message as stored after the change. */
export const MessageAckSchema = SendMessageAckSchema;
export type MessageAck = SendMessageAck;

export const PresenceStateSchema = z.object({
  userId: IdSchema,
  online: z.boolean(),
  lastSeen: IsoDateSchema.nullable(),
});
export type PresenceState = z.infer<typeof PresenceStateSchema>;

export const PresenceSubscribeAckSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), users: z.array(PresenceStateSchema) }),
  FailedAckSchema,
]);
export type PresenceSubscribeAck = z.infer<typeof PresenceSubscribeAckSchema>;

export const CountAckSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), count: z.number().int().nonnegative() }),
  FailedAckSchema,
]);
export type CountAck = z.infer<typeof CountAckSchema>;

// ---- server -> client payloads -----------------------------------------------------------------

export const OnlineUsersEventSchema = z.object({ userIds: z.array(IdSchema) });
export const UserOnlineEventSchema = z.object({ userId: IdSchema });
export const UserOfflineEventSchema = z.object({ userId: IdSchema, lastSeen: IsoDateSchema });
export const NewMessageEventSchema = z.object({ message: MessageSchema });
export const MessagesReadEventSchema = z.object({
  readerId: IdSchema,
  senderId: IdSchema,
  readAt: IsoDateSchema,
});
export const TypingEventSchema = z.object({ userId: IdSchema });
export const MessagesDeliveredEventSchema = z.object({
  receiverId: IdSchema,
  messageIds: z.array(IdSchema),
  deliveredAt: IsoDateSchema,
});
/**
 * Sent just before the server closes a socket: its access token expired (additive, v1), or its
 * session was ended by logout, revocation or a password change (v2, `SESSION_REVOKED`).
 */
export const SessionExpiredEventSchema = z.object({ code: z.enum(['TOKEN_EXPIRED', 'SESSION_REVOKED']) });
/** v2: a message was edited or deleted (after the change is stored). */
export const MessageUpdatedEventSchema = z.object({ message: MessageSchema });
/**
 * Additive (several nodes): the server's link to the other nodes was lost and is back, so events
 * published in between may be missing. The client runs its catch-up (`GET /api/sync`) as after a
 * reconnect. Carries nothing.
 */
export const ResyncRequiredEventSchema = z.object({});

export type OnlineUsersEvent = z.infer<typeof OnlineUsersEventSchema>;
export type UserOnlineEvent = z.infer<typeof UserOnlineEventSchema>;
export type UserOfflineEvent = z.infer<typeof UserOfflineEventSchema>;
export type NewMessageEvent = z.infer<typeof NewMessageEventSchema>;
export type MessagesReadEvent = z.infer<typeof MessagesReadEventSchema>;
export type TypingEvent = z.infer<typeof TypingEventSchema>;
export type MessagesDeliveredEvent = z.infer<typeof MessagesDeliveredEventSchema>;
export type SessionExpiredEvent = z.infer<typeof SessionExpiredEventSchema>;
export type MessageUpdatedEvent = z.infer<typeof MessageUpdatedEventSchema>;
export type ResyncRequiredEvent = z.infer<typeof ResyncRequiredEventSchema>;

// ---- typed Socket.IO event maps ----------------------------------------------------------------

export interface ServerToClientEvents {
  online_users: (payload: OnlineUsersEvent) => void;
  user_online: (payload: UserOnlineEvent) => void;
  user_offline: (payload: UserOfflineEvent) => void;
  new_message: (payload: NewMessageEvent) => void;
  messages_read: (payload: MessagesReadEvent) => void;
  user_typing: (payload: TypingEvent) => void;
  user_stop_typing: (payload: TypingEvent) => void;
  messages_delivered: (payload: MessagesDeliveredEvent) => void;
  session_expired: (payload: SessionExpiredEvent) => void;
  message_updated: (payload: MessageUpdatedEvent) => void;
  resync_required: (payload: ResyncRequiredEvent) => void;
}

export interface ClientToServerEvents {
  send_message: (payload: SendMessagePayload, ack: (result: SendMessageAck) => void) => void;
  mark_as_read: (payload: MarkAsReadPayload, ack?: (result: CountAck) => void) => void;
  typing_start: (payload: TypingPayload) => void;
  typing_stop: (payload: TypingPayload) => void;
  message_delivered: (payload: MessageDeliveredPayload, ack?: (result: CountAck) => void) => void;
  edit_message: (payload: EditMessagePayload, ack: (result: MessageAck) => void) => void;
  delete_message: (payload: DeleteMessagePayload, ack: (result: MessageAck) => void) => void;
  presence_subscribe: (payload: PresenceSubscribePayload, ack?: (result: PresenceSubscribeAck) => void) => void;
}

// ---- protocol version (docs/decisions/0011-protocol-version.md) ----------------------------------

/**
 * The protocol version this build speaks. Clients send it in the handshake
 * (`auth.protocolVersion`); a client that sends none is a v1 client of the published contract.
 */
export const PROTOCOL_VERSION = 2;

/**
 * The oldest declared version the server serves. A client that declares nothing was written
 * against the published v1 contract and is always served; one that declares a version below this
 * is refused with `SOCKET_CLIENT_TOO_OLD` (a stale web bundle: reload). Raised only when a change
 * would break an older build of our own client, never for an additive change.
 */
export const MIN_CLIENT_PROTOCOL_VERSION = 1;

export const ProtocolVersionSchema = z.number().int().positive();

export const HandshakeAuthSchema = z.object({
  token: z.string(),
  protocolVersion: ProtocolVersionSchema.optional(),
});
export type HandshakeAuth = z.input<typeof HandshakeAuthSchema>;

/** `connect_error.data` when the server refuses a client as too old. */
export const ClientTooOldSchema = z.object({
  code: z.literal('CLIENT_TOO_OLD'),
  /** The oldest version the server serves. */
  minVersion: ProtocolVersionSchema,
  /** The version the server speaks. */
  serverVersion: ProtocolVersionSchema,
  /** For people: what to do ("reload"). */
  message: z.string(),
});
export type ClientTooOld = z.infer<typeof ClientTooOldSchema>;

/** What the server keeps on each socket after the handshake. Never sent to clients. */
export interface SocketData {
  userId: string;
  /** The session (sign-in) the access token belongs to: its `sid` claim (v2). */
  sessionId?: string;
}

export type ServerEventName = keyof ServerToClientEvents;
export type ClientEventName = keyof ClientToServerEvents;

export const SERVER_EVENT_NAMES = [
  'online_users',
  'user_online',
  'user_offline',
  'new_message',
  'messages_read',
  'user_typing',
  'user_stop_typing',
  'messages_delivered',
  'session_expired',
  'message_updated',
  'resync_required',
] as const satisfies readonly ServerEventName[];

export const CLIENT_EVENT_NAMES = [
  'send_message',
  'mark_as_read',
  'typing_start',
  'typing_stop',
  'message_delivered',
  'edit_message',
  'delete_message',
  'presence_subscribe',
] as const satisfies readonly ClientEventName[];
