import {
  MarkAsReadPayloadSchema,
  MessageDeliveredPayloadSchema,
  SendMessagePayloadSchema,
  type ApiError,
  type CountAck,
  type SendMessageAck,
} from '@parley/protocol';
import { AppError, toAppError } from '../../lib/AppError.js';
import type { Logger } from '../../lib/logger.js';
import { parseInput } from '../../lib/validate.js';
import { userRoom } from '../../socket/rooms.js';
import type { AppServer, AppSocket, InFlight } from '../../socket/types.js';
import type { MessagesService } from './messages.service.js';

interface Deps {
  io: AppServer;
  messages: MessagesService;
  inFlight: InFlight;
  logger: Logger;
  /** True once shutdown has begun: new work is refused with a retryable error, never dropped. */
  isClosing(): boolean;
}

/** An ack is optional on some events, and a client may send anything in its place. */
function replyWith<T>(ack: unknown): (result: T) => void {
  return typeof ack === 'function' ? (ack as (result: T) => void) : () => {};
}

function failure(error: unknown, logger: Logger, event: string) {
  const appError = toAppError(error);
  if (appError.code === 'INTERNAL_ERROR') logger.error({ err: error, event }, 'socket handler failed');
  return { ok: false as const, error: appError.toJSON() };
}

export function registerMessageHandlers(socket: AppSocket, deps: Deps): void {
  const { io, messages, inFlight, logger } = deps;
  const { userId } = socket.data;

  function refuseWhileClosing(reply: (result: { ok: false; error: ApiError }) => void): boolean {
    if (!deps.isClosing()) return false;
    reply({ ok: false, error: new AppError('STORE_UNAVAILABLE', 'The server is restarting; retry in a moment').toJSON() });
    return true;
  }

  // Parse, call, answer. The sender is always the verified socket user, never the payload.
  socket.on('send_message', (payload: unknown, ack: unknown) => {
    const reply = replyWith<SendMessageAck>(ack);
    if (refuseWhileClosing(reply)) return;
    void inFlight.track(async () => {
      try {
        const input = parseInput(SendMessagePayloadSchema, payload);
        const { message, created } = await messages.send(userId, input);
        // Stored first; then every socket of both people; then the ack.
        if (created) io.to([userRoom(userId), userRoom(message.receiver)]).emit('new_message', { message });
        reply({ ok: true, message });
      } catch (error) {
        reply(failure(error, logger, 'send_message'));
      }
    });
  });

  socket.on('mark_as_read', (payload: unknown, ack: unknown) => {
    const reply = replyWith<CountAck>(ack);
    if (refuseWhileClosing(reply)) return;
    void inFlight.track(async () => {
      try {
        const { senderId } = parseInput(MarkAsReadPayloadSchema, payload);
        const { count, readAt } = await messages.markRead(userId, senderId);
        if (count > 0) {
          const event = { readerId: userId, senderId, readAt: readAt.toISOString() };
          // The partner's sockets, and this reader's other tabs (not this one: it knows).
          socket.to([userRoom(senderId), userRoom(userId)]).emit('messages_read', event);
        }
        reply({ ok: true, count });
      } catch (error) {
        reply(failure(error, logger, 'mark_as_read'));
      }
    });
  });

  socket.on('message_delivered', (payload: unknown, ack: unknown) => {
    const reply = replyWith<CountAck>(ack);
    if (refuseWhileClosing(reply)) return;
    void inFlight.track(async () => {
      try {
        const { messageIds } = parseInput(MessageDeliveredPayloadSchema, payload);
        const { count, deliveredAt, idsBySender } = await messages.markDelivered(userId, messageIds);
        for (const [senderId, ids] of idsBySender) {
          io.to(userRoom(senderId)).emit('messages_delivered', {
            receiverId: userId,
            messageIds: ids,
            deliveredAt: deliveredAt.toISOString(),
          });
        }
        reply({ ok: true, count });
      } catch (error) {
        reply(failure(error, logger, 'message_delivered'));
      }
    });
  });
}
