import { MessageAckSchema, SendMessageAckSchema, type ErrorCode, type SendMessageAck } from '@parley/protocol';
import type { ParleySocket } from '../../lib/socket';
import { parseAck } from '../../lib/socketEvents';
import type { ChatAction } from './chatState';
import { ACK_TIMEOUT_MS, isSend, outboxHeads, retryDelay, saveOutbox, type OutboxEntry } from './outbox';

/** Refusals that the same message will meet again: wait for the person to retry. */
const PERMANENT_ERRORS: ReadonlySet<string> = new Set<ErrorCode>([
  'VALIDATION_ERROR',
  'FORBIDDEN',
  'NOT_FOUND',
  'PAYLOAD_TOO_LARGE',
]);

export interface OutboxRunner {
  /** The outbox changed, or the connection did: store it, send what may go, time the retries. */
  run(outbox: readonly OutboxEntry[], connected: boolean): void;
  stop(): void;
}

/**
 * Gets every outbox entry stored, in the order written to each person: per receiver only the
 * head of the queue (see `outboxHeads`) is ever in flight, and the next one goes out only once
 * the server has acked it. A retryable failure keeps the head — and so its receiver's queue —
 * waiting for its retry after a growing delay (or at once on reconnect); a permanent refusal
 * steps aside so the rest can go. The outbox lives in localStorage so neither a dropped
 * connection nor a reload loses a message. Every attempt reuses the entry's clientMessageId,
 * so the server stores it once however often it arrives.
 */
export function createOutboxRunner(
  socket: ParleySocket,
  meId: string,
  dispatch: (action: ChatAction) => void,
  /** An edit or delete the server refused for good (not mine, already deleted): it is dropped. */
  onRefused: (entry: OutboxEntry) => void = () => undefined,
): OutboxRunner {
  const inFlight = new Set<string>();
  let retryTimers: ReturnType<typeof setTimeout>[] = [];
  /** The outbox the retry timers were set for: each change of it sets them afresh. */
  let timed: readonly OutboxEntry[] | null = null;

  function clearRetries() {
    retryTimers.forEach(clearTimeout);
    retryTimers = [];
    timed = null;
  }

  /** One attempt; `settle` gets the parsed ack, or null when none came in time. */
  function attempt(entry: OutboxEntry, settle: (ack: SendMessageAck | null) => void) {
    const { clientMessageId, receiverId, content, target } = entry;
    inFlight.add(clientMessageId);
    dispatch({ type: 'outboxAttempted', clientMessageId });
    const done = (timedOut: Error | null, response: unknown) => {
      inFlight.delete(clientMessageId);
      if (timedOut) return settle(null);
      const event = entry.kind === 'edit' ? 'edit_message' : entry.kind === 'delete' ? 'delete_message' : 'send_message';
      settle(parseAck(event, entry.kind ? MessageAckSchema : SendMessageAckSchema, response));
    };
    const timed = socket.timeout(ACK_TIMEOUT_MS);
    if (entry.kind === 'edit' && target?.messageId) timed.emit('edit_message', { messageId: target.messageId, content }, done);
    else if (entry.kind === 'delete' && target?.messageId) timed.emit('delete_message', { messageId: target.messageId }, done);
    else timed.emit('send_message', { receiverId, content, clientMessageId, ...(entry.replyTo ? { replyToId: entry.replyTo.id } : {}) }, done);
  }

  function send(entry: OutboxEntry) {
    const { clientMessageId } = entry;
    attempt(entry, (ack) => {
      if (ack === null) {
        dispatch({ type: 'outboxFailed', clientMessageId, permanent: false });
      } else if (ack.ok) {
        if (isSend(entry)) {
          // A send leaves the outbox when its stored copy arrives.
          dispatch({ type: 'messagesReceived', messages: [ack.message], live: false, viewingPeerId: null });
        } else {
          dispatch({ type: 'messageUpdated', message: ack.message });
          dispatch({ type: 'outboxRemoved', clientMessageId });
        }
      } else if (!isSend(entry) && PERMANENT_ERRORS.has(ack.error.code)) {
        dispatch({ type: 'outboxRemoved', clientMessageId });
        onRefused(entry);
      } else {
        dispatch({ type: 'outboxFailed', clientMessageId, permanent: PERMANENT_ERRORS.has(ack.error.code) });
      }
    });
  }

  /** An edit or delete waits until the message it changes is stored (its send is ahead of it). */
  const ready = (entry: OutboxEntry) => isSend(entry) || Boolean(entry.target?.messageId);

  return {
    run(outbox, connected) {
      if (outbox !== timed) {
        saveOutbox(meId, outbox);
        clearRetries();
        timed = outbox;
        retryTimers = outbox
          .filter((entry) => entry.state === 'failed' && !entry.permanent)
          .map((entry) =>
            setTimeout(() => dispatch({ type: 'outboxRetried', clientMessageId: entry.clientMessageId }), retryDelay(entry.attempts)),
          );
      }
      if (!connected) return;
      // A receiver with a send awaiting its ack waits for it, even if a person's retry has since
      // put an older entry back at the head of that queue.
      const busy = new Set(outbox.filter((entry) => inFlight.has(entry.clientMessageId)).map((entry) => entry.receiverId));
      for (const entry of outboxHeads(outbox)) {
        if (entry.state === 'sending' && !busy.has(entry.receiverId) && ready(entry)) send(entry);
      }
    },
    stop: clearRetries,
  };
}
