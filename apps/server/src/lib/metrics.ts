/**
 * What the server reports about itself, as a small object services and handlers receive
 * (injected, never imported as a global). The Prometheus implementation lives in
 * features/observability/prometheusMetrics.ts; unit tests get `noopMetrics`.
 * Labels are bounded sets (event names, error codes, queue names): never a user id.
 */
export interface Metrics {
  /** A Socket.IO handshake: accepted, or refused with a reason (an error code, lower case). */
  handshake(outcome: 'accepted' | 'refused', reason?: string): void;
  /** A message was stored (a retried clientMessageId that found its stored copy does not count). */
  messageStored(): void;
  /** send_message from arrival to ack: validate, rate-limit, queue, store, emit. */
  sendAcked(seconds: number, outcome: 'ok' | 'error'): void;
  /** One event sent to one socket (a broadcast to n sockets counts n). */
  socketEmit(event: string): void;
  /** A per-user (or per-IP) budget refused a request; `door` names the entrance. */
  rateLimited(door: string): void;
  /** One database command, from the driver's command monitoring. */
  databaseCommand(command: string, seconds: number, failed: boolean): void;
  /** One HTTP request answered; `route` is the matched route pattern, never the raw URL. */
  httpRequest(method: string, route: string, status: number, seconds: number): void;
  /** Reserved for the multi-node adapter: a publish to the other nodes failed. */
  adapterPublishError(): void;
  /** Reserved for the shared presence store: sockets of a dead node removed. */
  presenceReaped(count: number): void;
  /** Reports `depth()` as this queue's depth at every scrape. */
  watchQueue(queue: string, depth: () => number): void;
  /** Reports connected sockets and distinct users on this node at every scrape. */
  watchConnections(source: { sockets(): number; users(): number }): void;
}

export const noopMetrics: Metrics = {
  handshake() {},
  messageStored() {},
  sendAcked() {},
  socketEmit() {},
  rateLimited() {},
  databaseCommand() {},
  httpRequest() {},
  adapterPublishError() {},
  presenceReaped() {},
  watchQueue() {},
  watchConnections() {},
};

/** Seconds since `startedAt` (a performance.now() reading). */
export function secondsSince(startedAt: number): number {
  return (performance.now() - startedAt) / 1000;
}
