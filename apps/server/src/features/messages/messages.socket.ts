import {
  MarkAsReadPayloadSchema,
  MessageDeliveredPayloadSchema,
  SendMessagePayloadSchema,
  type ClientEventName,
  type CountAck,
  type SendMessageAck,
} from '@parley/protocol';
import type { Logger } from '../../lib/logger.js';
import type { Metrics } from '../../lib/metrics.js';
import { parseInput } from '../../lib/validate.js';
import { onAckedEvent } from '../../socket/ackedEvent.js';
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

export function registerMessageHandlers(socket: AppSocket, deps: Deps): void {
  const { io, messages } = deps;
  const { userId } = socket.data;
  const onAcked = <Success>(event: ClientEventName, handle: (payload: unknown) => Promise<Success>) =>
    onAckedEvent(socket, deps, event, handle);

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
