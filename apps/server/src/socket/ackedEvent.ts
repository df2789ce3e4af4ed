import type { ClientEventName, FailedAck } from '@parley/protocol';
import { AppError, toAppError } from '../lib/AppError.js';
import type { Logger } from '../lib/logger.js';
import { noopMetrics, secondsSince, type Metrics } from '../lib/metrics.js';
import type { AppSocket, InFlight } from './types.js';

export interface AckedEventDeps {
  inFlight: InFlight;
  logger: Logger;
  metrics?: Metrics;
  /** True once shutdown has begun: new work is refused with a retryable error, never dropped. */
  isClosing(): boolean;
}

/**
 * The shape every acked event shares: refuse new work while shutting down, count the work as
 * in flight so shutdown waits for it, and answer exactly once, success or a coded error.
 * The ack is optional on some events, and a client may send anything in its place.
 */
export function onAckedEvent<Success>(
  socket: AppSocket,
  deps: AckedEventDeps,
  event: ClientEventName,
  handle: (payload: unknown) => Promise<Success>,
): void {
  const metrics = deps.metrics ?? noopMetrics;
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
    void deps.inFlight.track(async () => {
      try {
        reply(await handle(payload));
      } catch (error) {
        const appError = toAppError(error);
        if (appError.code === 'RATE_LIMITED') metrics.rateLimited(event);
        if (appError.code === 'INTERNAL_ERROR') deps.logger.error({ err: error, event }, 'socket handler failed');
        reply({ ok: false, error: appError.toJSON() });
      }
    });
  };
  socket.on(event, listener);
}
