import { z } from 'zod';
import { ApiErrorSchema } from './errors.js';
import { ClientMessageIdSchema, ContentSchema, IdSchema, IsoDateSchema } from './fields.js';
import { MessageSchema } from './models.js';

// ---- protocol version --------------------------------------------------------------------------

/**
 * The protocol this package describes. A client built with it declares it in the handshake:
 * `io(url, { auth: { token, protocolVersion: PROTOCOL_VERSION } })`. Raised by one whenever the
 * protocol gains something a client may rely on (see docs/decisions/0010-protocol-version.md).
 */
export const PROTOCOL_VERSION = 2;

/**
 * The oldest declared version the server serves. A client that declares nothing was written
 * against the published v1 contract and is always served; one that declares a version below this
 * is refused with `SOCKET_CLIENT_TOO_OLD` (a stale web bundle: reload).
 */
export const MIN_CLIENT_PROTOCOL_VERSION = 1;

export const ProtocolVersionSchema = z.number().int().positive();

/** The handshake's `auth` object. The token is checked by the server, so it is any value here. */
export const HandshakeAuthSchema = z.object({
  token: z.unknown().optional(),
  protocolVersion: ProtocolVersionSchema.optional(),
});
export type HandshakeAuth = z.infer<typeof HandshakeAuthSchema>;

/** `connect_error.data` when the server refuses a client as too old. */
export const ClientTooOldSchema = z.object({
  code: z.literal('CLIENT_TOO_OLD'),
  /** The oldest version the server serves. */
  minVersion: ProtocolVersionSchema,
  /** The version the server speaks. */
  serverVersion: ProtocolVersionSchema,
  message: z.string(),
});
export type ClientTooOld = z.infer<typeof ClientTooOldSchema>;

// ---- client -> server payloads ----------------------------------------------------------------
// Objects are not strict: a client may send extra keys (an old `senderId`, say); they are dropped.

export const SendMessagePayloadSchema = z.object({
  receiverId: IdSchema,
  content: ContentSchema,
  clientMessageId: ClientMessageIdSchema.optional(),
});
export type SendMessagePayload = z.input<typeof SendMessagePayloadSchema>;

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
/** Additive: sent just before the server closes a socket whose access token has expired. */
export const SessionExpiredEventSchema = z.object({ code: z.literal('TOKEN_EXPIRED') });

export type OnlineUsersEvent = z.infer<typeof OnlineUsersEventSchema>;
export type UserOnlineEvent = z.infer<typeof UserOnlineEventSchema>;
export type UserOfflineEvent = z.infer<typeof UserOfflineEventSchema>;
export type NewMessageEvent = z.infer<typeof NewMessageEventSchema>;
export type MessagesReadEvent = z.infer<typeof MessagesReadEventSchema>;
export type TypingEvent = z.infer<typeof TypingEventSchema>;
export type MessagesDeliveredEvent = z.infer<typeof MessagesDeliveredEventSchema>;
export type SessionExpiredEvent = z.infer<typeof SessionExpiredEventSchema>;

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
}

export interface ClientToServerEvents {
  send_message: (payload: SendMessagePayload, ack: (result: SendMessageAck) => void) => void;
  mark_as_read: (payload: MarkAsReadPayload, ack?: (result: CountAck) => void) => void;
  typing_start: (payload: TypingPayload) => void;
  typing_stop: (payload: TypingPayload) => void;
  message_delivered: (payload: MessageDeliveredPayload, ack?: (result: CountAck) => void) => void;
}

/** What the server keeps on each socket after the handshake. Never sent to clients. */
export interface SocketData {
  userId: string;
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
] as const satisfies readonly ServerEventName[];

export const CLIENT_EVENT_NAMES = [
  'send_message',
  'mark_as_read',
  'typing_start',
  'typing_stop',
  'message_delivered',
] as const satisfies readonly ClientEventName[];
