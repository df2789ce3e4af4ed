import { DELIVERED_IDS_MAX, type Message } from '@parley/protocol';
import type { ParleySocket } from '../../lib/socket';

/** Ids arriving within this window go out in one `message_delivered`. */
const BATCH_WINDOW_MS = 25;

export interface DeliveryReceipts {
  /** Notes which of `messages` are addressed to me and not yet delivered; sent shortly. */
  acknowledge(messages: readonly Message[]): void;
  /** Drops anything pending (the session is ending). */
  stop(): void;
}

/**
 * Tells the server which messages addressed to me this client now holds, so their senders see
 * "delivered". Ids are batched briefly and sent at most 100 to an emit.
 */
export function createDeliveryReceipts(socket: ParleySocket, meId: string): DeliveryReceipts {
  const pending = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  function flush() {
    timer = undefined;
    const ids = [...pending];
    pending.clear();
    for (let start = 0; start < ids.length; start += DELIVERED_IDS_MAX) {
      socket.emit('message_delivered', { messageIds: ids.slice(start, start + DELIVERED_IDS_MAX) });
    }
  }

  return {
    acknowledge(messages) {
      for (const message of messages) {
        if (message.receiver === meId && message.deliveredAt === null) pending.add(message.id);
      }
      if (pending.size && timer === undefined) timer = setTimeout(flush, BATCH_WINDOW_MS);
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
