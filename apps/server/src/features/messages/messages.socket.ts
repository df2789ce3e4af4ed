import {
  MarkAsReadPayloadSchema,
  MessageDeliveredPayloadSchema,
  SendMessagePayloadSchema,
  type CountAck,
  type FailedAck,
  type SendMessageAck,
} from '@parley/protocol';
import { AppError, toAppError } from '../../lib/AppError.js';
import type { Logger } from '../../lib/logger.js';
import { noopMetrics, secondsSince, type Metrics } from '../../lib/metrics.js';
import { parseInput } from '../../lib/validate.js';
import { userRoom } from '../../socket/rooms.js';
import type { AppServer, AppSocket, InFlight } from '../../socket/types.js';
import type { MessagesService } from './messages.service.js';

interface Deps {
  io: AppServer;
  messages: MessagesService;
  inFlight: InFlight;
  logger: Logger;
  metrics?: Metrics;
  /** True once shutdown has begun: new work is refused with a retryable error, never dropped. */
  isClosing(): boolean;
  /** The first message between two people was stored: they become each other's presence watchers. */
  conversationStarted(a: string, b: string): Promise<void>;
}

type AckedEvent = 'send_message' | 'mark_as_read' | 'message_delivered';

export function registerMessageHandlers(socket: AppSocket, deps: Deps): void {
  const { io, messages, inFlight, logger } = deps;
  const metrics = deps.metrics ?? noopMetrics;
  const { userId } = socket.data;

  /**
   * The shape every acked event shares: refuse new work while shutting down, count the work as
   * in flight so shutdown waits for it, and answer exactly once, success or a coded error.
   * The ack is optional on some events, and a client may send anything in its place.
   */
  function onAcked<Success>(event: AckedEvent, handle: (payload: unknown) => Promise<Success>): void {
    const listener = (payload: unknown, ack: unknown) => {
      const startedAt = performance.now();
      const answer = typeof ack === 'function' ? (ack as (result: Success | FailedAck) => void) : () => {};
      const reply = (result: Success | FailedAck) => {
        answer(result);
        if (event === 'send_message') metrics.sendAcked(secondsSince(startedAt), (result as { ok: boolean }).ok ? 'ok' : 'error');
      };
      if (deps.isClosing()) {
        reply({ ok: false, error: new AppError('STORE_UNAVAILABLE', 'The server is restarting; retry in a moment').toJSON() });
        return;
      }
      void inFlight.track(async () => {
        try {
          reply(await handle(payload));
        } catch (error) {
          const appError = toAppError(error);
          if (appError.code === 'RATE_LIMITED') metrics.rateLimited(event);
          if (appError.code === 'INTERNAL_ERROR') logger.error({ err: error, event }, 'socket handler failed');
          reply({ ok: false, error: appError.toJSON() });
        }
      });
    };
    socket.on(event, listener);
  }

  // Parse, call, answer. The sender is always the verified socket user, never the payload.
  onAcked('send_message', async (payload): Promise<SendMessageAck> => {
    const input = parseInput(SendMessagePayloadSchema, payload);
    const { message, created, startedConversation } = await messages.send(userId, input);
    // Stored first; then every socket of both people; then the ack. One room per emit, so the
    // cluster adapter routes each to the nodes holding that user only (sender != receiver).
    if (created) {
      io.to(userRoom(message.receiver)).emit('new_message', { message });
      io.to(userRoom(userId)).emit('new_message', { message });
    }
    if (startedConversation) await deps.conversationStarted(userId, message.receiver);
    return { ok: true, message };
  });

  onAcked('mark_as_read', async (payload): Promise<CountAck> => {
    const { senderId } = parseInput(MarkAsReadPayloadSchema, payload);
    const { count, readAt } = await messages.markRead(userId, senderId);
    if (count > 0) {
      // The partner's sockets, and this reader's other tabs (not this one: it knows).
      const event = { readerId: userId, senderId, readAt: readAt.toISOString() };
      socket.to(userRoom(senderId)).emit('messages_read', event);
      socket.to(userRoom(userId)).emit('messages_read', event);
    }
    return { ok: true, count };
  });

  onAcked('message_delivered', async (payload): Promise<CountAck> => {
    const { messageIds } = parseInput(MessageDeliveredPayloadSchema, payload);
    const { count, deliveredAt, idsBySender } = await messages.markDelivered(userId, messageIds);
    for (const [senderId, ids] of idsBySender) {
      io.to(userRoom(senderId)).emit('messages_delivered', {
        receiverId: userId,
        messageIds: ids,
        deliveredAt: deliveredAt.toISOString(),
      });
    }
    return { ok: true, count };
  });
}
