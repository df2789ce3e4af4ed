import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Metrics } from '../../lib/metrics.js';

/**
 * The Prometheus side of `Metrics`, on a registry of its own per app (never prom-client's global
 * one), so two servers in one test process never collide. Names follow Prometheus conventions:
 * `parley_` prefix, base units (seconds, bytes), `_total` on counters; labels are bounded sets.
 * The Node defaults (event-loop delay, heap, RSS, GC, handles) keep their standard names.
 */
export interface PrometheusMetrics extends Metrics {
  readonly registry: Registry;
  /** The text exposition of every metric, and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Every metric name this module declares: the dashboard test checks its queries against them. */
export const PARLEY_METRIC_NAMES = [
  'parley_socket_connections',
  'parley_users_online',
  'parley_socket_handshakes_total',
  'parley_messages_stored_total',
  'parley_send_ack_duration_seconds',
  'parley_socket_emits_total',
  'parley_rate_limit_refusals_total',
  'parley_db_command_duration_seconds',
  'parley_db_command_errors_total',
  'parley_http_request_duration_seconds',
  'parley_queue_depth',
  'parley_adapter_publish_errors_total',
  'parley_presence_reaps_total',
] as const;

export function createPrometheusMetrics(): PrometheusMetrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });

  const counter = (name: string, help: string, labelNames: string[] = []) => new Counter({ name, help, labelNames, registers });
  const histogram = (name: string, help: string, labelNames: string[]) =>
    new Histogram({ name, help, labelNames, buckets: LATENCY_BUCKETS, registers });

  const queues = new Map<string, () => number>();
  let connections: { sockets(): number; users(): number } = { sockets: () => 0, users: () => 0 };

  /** Gauges are read at scrape time from their sources: nothing to keep in step. */
  const gauge = (name: string, help: string, labelNames: string[], collect: (this: Gauge) => void) =>
    new Gauge({ name, help, labelNames, registers, collect });
  gauge('parley_socket_connections', 'Socket.IO connections open on this node', [], function () {
    this.set(connections.sockets());
  });
  gauge('parley_users_online', 'Distinct users with at least one socket on this node', [], function () {
    this.set(connections.users());
  });
  gauge('parley_queue_depth', 'Work waiting or running, by queue (per-key serial queues, in-flight acked events)', ['queue'], function () {
    for (const [queue, depth] of queues) this.set({ queue }, depth());
  });
  const handshakes = counter('parley_socket_handshakes_total', 'Socket.IO handshakes by outcome (accepted, refused) and reason', ['outcome', 'reason']);
  const messagesStored = counter('parley_messages_stored_total', 'Messages stored (idempotent retries that found their stored copy excluded)');
  const sendAck = histogram('parley_send_ack_duration_seconds', 'send_message from arrival to ack (validate, rate-limit, queue, store, emit), by outcome', ['outcome']);
  const emits = counter('parley_socket_emits_total', 'Events sent to sockets, one per receiving socket, by event name', ['event']);
  const rateLimited = counter('parley_rate_limit_refusals_total', 'Requests refused by a rate limit, by door (socket event or HTTP route)', ['door']);
  const dbDuration = histogram('parley_db_command_duration_seconds', 'Database commands as the driver saw them (command monitoring), by command name', ['command']);
  const dbErrors = counter('parley_db_command_errors_total', 'Database commands that failed (driver commandFailed), by command name', ['command']);
  const httpDuration = histogram('parley_http_request_duration_seconds', 'HTTP requests by method, matched route pattern and status code', ['method', 'route', 'status_code']);
  const adapterPublishErrors = counter('parley_adapter_publish_errors_total', 'Failed publishes to the other nodes (multi-node adapter; 0 on a single node)');
  const presenceReaps = counter('parley_presence_reaps_total', 'Sockets of vanished nodes removed from the shared presence store (0 on a single node)');

  return {
    registry,
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
    handshake(outcome, reason = outcome === 'accepted' ? 'ok' : 'unknown') {
      handshakes.inc({ outcome, reason });
    },
    messageStored() {
      messagesStored.inc();
    },
    sendAcked(seconds, outcome) {
      sendAck.observe({ outcome }, seconds);
    },
    socketEmit(event) {
      emits.inc({ event });
    },
    rateLimited(door) {
      rateLimited.inc({ door });
    },
    databaseCommand(command, seconds, failed) {
      dbDuration.observe({ command }, seconds);
      if (failed) dbErrors.inc({ command });
    },
    httpRequest(method, route, status, seconds) {
      httpDuration.observe({ method, route, status_code: String(status) }, seconds);
    },
    adapterPublishError() {
      adapterPublishErrors.inc();
    },
    presenceReaped(count) {
      presenceReaps.inc(count);
    },
    watchQueue(queue, depth) {
      queues.set(queue, depth);
    },
    watchConnections(source) {
      connections = source;
    },
  };
}
