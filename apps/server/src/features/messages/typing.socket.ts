import { TypingPayloadSchema } from '@parley/protocol';
import { noopMetrics, type Metrics } from '../../lib/metrics.js';
import type { TokenBuckets } from '../../lib/tokenBucket.js';
import { userRoom } from '../../socket/rooms.js';
import type { AppSocket } from '../../socket/types.js';

/**
 * Typing is a hint: forwarded to the partner's sockets only, never stored, never acked.
 * Invalid payloads and floods beyond the per-user rate are dropped silently.
 */
export function registerTypingHandlers(socket: AppSocket, typingBuckets: TokenBuckets, metrics: Metrics = noopMetrics): void {
  const { userId } = socket.data;

  const forward = (event: 'user_typing' | 'user_stop_typing') => (payload: unknown) => {
    const parsed = TypingPayloadSchema.safeParse(payload);
    if (!parsed.success || parsed.data.receiverId === userId) return;
    if (!typingBuckets.tryTake(userId)) {
      metrics.rateLimited('typing');
      return;
    }
    socket.to(userRoom(parsed.data.receiverId)).except(userRoom(userId)).emit(event, { userId });
  };

  socket.on('typing_start', forward('user_typing'));
  socket.on('typing_stop', forward('user_stop_typing'));
}
