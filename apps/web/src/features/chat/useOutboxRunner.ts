import { useEffect, useRef, type Dispatch } from 'react';
import type { ErrorCode } from '@parley/protocol';
import type { ParleySocket } from '../../lib/socket';
import { useConnectionState } from '../connection/SocketContext';
import type { ChatAction } from './chatState';
import { ACK_TIMEOUT_MS, retryDelay, saveOutbox, type OutboxEntry } from './outbox';

/** Refusals that the same message will meet again: wait for the person to retry. */
const PERMANENT_ERRORS: ReadonlySet<string> = new Set<ErrorCode>([
  'VALIDATION_ERROR',
  'FORBIDDEN',
  'NOT_FOUND',
  'PAYLOAD_TOO_LARGE',
]);

/**
 * Gets every outbox entry stored: sends those marked "sending" while connected, retries failed
 * ones after a growing delay (and all of them as soon as we reconnect), and keeps the outbox in
 * localStorage so neither a dropped connection nor a reload loses a message. Every attempt
 * reuses the entry's clientMessageId, so the server stores it once however often it arrives.
 */
export function useOutboxRunner(
  socket: ParleySocket,
  meId: string,
  outbox: readonly OutboxEntry[],
  dispatch: Dispatch<ChatAction>,
): void {
  const connected = useConnectionState() === 'connected';
  const inFlight = useRef(new Set<string>());

  useEffect(() => {
    saveOutbox(meId, outbox);
  }, [meId, outbox]);

  useEffect(() => {
    if (connected) dispatch({ type: 'outboxResumed' });
  }, [connected, dispatch]);

  useEffect(() => {
    if (!connected) return;
    for (const entry of outbox) {
      if (entry.state !== 'sending' || inFlight.current.has(entry.clientMessageId)) continue;
      const { clientMessageId, receiverId, content } = entry;
      inFlight.current.add(clientMessageId);
      dispatch({ type: 'outboxAttempted', clientMessageId });
      socket.timeout(ACK_TIMEOUT_MS).emit('send_message', { receiverId, content, clientMessageId }, (timedOut, ack) => {
        inFlight.current.delete(clientMessageId);
        if (timedOut) {
          dispatch({ type: 'outboxFailed', clientMessageId, permanent: false });
        } else if (ack.ok) {
          dispatch({ type: 'messagesReceived', messages: [ack.message], live: false, viewingPeerId: null });
        } else {
          dispatch({ type: 'outboxFailed', clientMessageId, permanent: PERMANENT_ERRORS.has(ack.error.code) });
        }
      });
    }
  }, [socket, connected, outbox, dispatch]);

  useEffect(() => {
    const timers = outbox
      .filter((entry) => entry.state === 'failed' && !entry.permanent)
      .map((entry) =>
        setTimeout(() => dispatch({ type: 'outboxRetried', clientMessageId: entry.clientMessageId }), retryDelay(entry.attempts)),
      );
    return () => timers.forEach(clearTimeout);
  }, [outbox, dispatch]);
}
