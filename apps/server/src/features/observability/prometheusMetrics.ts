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

  const queues = new Map<string, () => number>();
  let connections: { sockets(): number; users(): number } = { sockets: () => 0, users: () => 0 };

  new Gauge({
    name: 'parley_socket_connections',
    help: 'Socket.IO connections open on this node',
    registers,
    collect() {
      this.set(connections.sockets());
    },
  });
  new Gauge({
    name: 'parley_users_online',
    help: 'Distinct users with at least one socket on this node',
    registers,
    collect() {
      this.set(connections.users());
    },
  });
  new Gauge({
    name: 'parley_queue_depth',
    help: 'Work waiting or running, by queue (per-key serial queues, in-flight acked events)',
    labelNames: ['queue'],
    registers,
    collect() {
      for (const [queue, depth] of queues) this.set({ queue }, depth());
    },
  });
  const handshakes = new Counter({
    name: 'parley_socket_handshakes_total',
    help: 'Socket.IO handshakes by outcome (accepted, refused) and reason',
    labelNames: ['outcome', 'reason'],
    registers,
  });
  const messagesStored = new Counter({
    name: 'parley_messages_stored_total',
    help: 'Messages stored (idempotent retries that found their stored copy excluded)',
    registers,
  });
  const sendAck = new Histogram({
    name: 'parley_send_ack_duration_seconds',
    help: 'send_message from arrival to ack (validate, rate-limit, queue, store, emit), by outcome',
    labelNames: ['outcome'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const emits = new Counter({
    name: 'parley_socket_emits_total',
    help: 'Events sent to sockets, one per receiving socket, by event name',
    labelNames: ['event'],
    registers,
  });
  const rateLimited = new Counter({
    name: 'parley_rate_limit_refusals_total',
    help: 'Requests refused by a rate limit, by door (socket event or HTTP route)',
    labelNames: ['door'],
    registers,
  });
  const dbDuration = new Histogram({
    name: 'parley_db_command_duration_seconds',
    help: 'Database commands as the driver saw them (command monitoring), by command name',
    labelNames: ['command'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const dbErrors = new Counter({
    name: 'parley_db_command_errors_total',
    help: 'Database commands that failed (driver commandFailed), by command name',
    labelNames: ['command'],
    registers,
  });
  const httpDuration = new Histogram({
    name: 'parley_http_request_duration_seconds',
    help: 'HTTP requests by method, matched route pattern and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const adapterPublishErrors = new Counter({
    name: 'parley_adapter_publish_errors_total',
    help: 'Failed publishes to the other nodes (multi-node adapter; 0 on a single node)',
    registers,
  });
  const presenceReaps = new Counter({
    name: 'parley_presence_reaps_total',
    help: 'Sockets of vanished nodes removed from the shared presence store (0 on a single node)',
    registers,
  });

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
