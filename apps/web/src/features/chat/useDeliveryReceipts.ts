import { useCallback, useEffect, useRef } from 'react';
import { DELIVERED_IDS_MAX, type Message } from '@parley/protocol';
import type { ParleySocket } from '../../lib/socket';

/** Ids arriving within this window go out in one `message_delivered`. */
const BATCH_WINDOW_MS = 25;

/**
 * Tells the server which messages addressed to me this client now holds, so their senders see
 * "delivered". Ids are batched briefly and sent at most 100 to an emit.
 */
export function useDeliveryReceipts(socket: ParleySocket, meId: string): (messages: readonly Message[]) => void {
  const pending = useRef(new Set<string>());
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const flush = useCallback(() => {
    timer.current = undefined;
    const ids = [...pending.current];
    pending.current.clear();
    for (let start = 0; start < ids.length; start += DELIVERED_IDS_MAX) {
      socket.emit('message_delivered', { messageIds: ids.slice(start, start + DELIVERED_IDS_MAX) });
    }
  }, [socket]);

  useEffect(
    () => () => {
      clearTimeout(timer.current);
      timer.current = undefined;
    },
    [],
  );

  return useCallback(
    (messages) => {
      for (const message of messages) {
        if (message.receiver === meId && message.deliveredAt === null) pending.current.add(message.id);
      }
      if (pending.current.size && timer.current === undefined) timer.current = setTimeout(flush, BATCH_WINDOW_MS);
    },
    [meId, flush],
  );
}
