import {
  FailedAckSchema,
  MessagesDeliveredEventSchema,
  MessagesReadEventSchema,
  MessageUpdatedEventSchema,
  NewMessageEventSchema,
  OnlineUsersEventSchema,
  ResyncRequiredEventSchema,
  SessionExpiredEventSchema,
  TypingEventSchema,
  UserOfflineEventSchema,
  UserOnlineEventSchema,
  type FailedAck,
  type ServerEventName,
  type ServerToClientEvents,
} from '@parley/protocol';
import type { ParleySocket } from './socket';

// The socket boundary, as lib/api.ts is the HTTP one: nothing the server sends reaches the app
// before it matched the contract. A payload that does not is logged and dropped; a bad ack
// counts as a failed one. Never a crash: one odd message must not take the session down.

export type ServerPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];

/** Anything with a zod-style `safeParse`: the protocol's schemas, without importing zod here. */
interface SafeParser<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false; error: { message: string } };
}

const SERVER_EVENT_SCHEMAS: { [E in ServerEventName]: SafeParser<ServerPayload<E>> } = {
  online_users: OnlineUsersEventSchema,
  user_online: UserOnlineEventSchema,
  user_offline: UserOfflineEventSchema,
  new_message: NewMessageEventSchema,
  messages_read: MessagesReadEventSchema,
  user_typing: TypingEventSchema,
  user_stop_typing: TypingEventSchema,
  messages_delivered: MessagesDeliveredEventSchema,
  session_expired: SessionExpiredEventSchema,
  message_updated: MessageUpdatedEventSchema,
  resync_required: ResyncRequiredEventSchema,
};

/** The socket as this module uses it: the event maps are keyed unions TypeScript cannot pair generically. */
interface UntypedListening {
  on(event: string, listener: (payload: unknown) => void): unknown;
  off(event: string, listener: (payload: unknown) => void): unknown;
}

/** The payload as the contract describes it, or null (logged) when it does not match. */
export function parseServerEvent<E extends ServerEventName>(event: E, payload: unknown): ServerPayload<E> | null {
  const result = SERVER_EVENT_SCHEMAS[event].safeParse(payload);
  if (result.success) return result.data;
  console.error(`[parley] Dropped a "${event}" event that does not match the protocol:`, result.error.message);
  return null;
}

/** Calls `handler` with each well-formed `event` from the server. Returns the unsubscribe. */
export function listen<E extends ServerEventName>(
  socket: ParleySocket,
  event: E,
  handler: (payload: ServerPayload<E>) => void,
): () => void {
  const listening = socket as unknown as UntypedListening;
  const listener = (payload: unknown) => {
    const parsed = parseServerEvent(event, payload);
    if (parsed !== null) handler(parsed);
  };
  listening.on(event, listener);
  return () => listening.off(event, listener);
}

/** The ack as the contract describes it; a malformed one becomes a failed ack (logged). */
export function parseAck<T>(event: string, schema: SafeParser<T>, response: unknown): T | FailedAck {
  const result = schema.safeParse(response);
  if (result.success) return result.data;
  console.error(`[parley] The "${event}" ack does not match the protocol; treating it as failed:`, result.error.message);
  return FailedAckSchema.parse({
    ok: false,
    error: { code: 'INVALID_RESPONSE', message: 'Unexpected answer from the server.' },
  });
}
