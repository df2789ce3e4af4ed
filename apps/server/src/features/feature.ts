import type { Router } from 'express';
import type { Connection } from 'mongoose';
import type { AppConfig } from '../config.js';
import type { InFlight } from '../lib/inFlight.js';
import type { Logger } from '../lib/logger.js';
import type { Metrics } from '../lib/metrics.js';
import type { AppServer, AppSocket } from '../socket/types.js';

/**
 * What every feature's `index.ts` is handed. The Socket.IO server exists before any feature is
 * mounted, so nothing needs a forward reference to it.
 */
export interface FeatureContext {
  config: AppConfig;
  /** An open mongoose connection; features build their repositories on it. */
  db: Connection;
  io: AppServer;
  logger: Logger;
  /** What the server reports about itself (Prometheus in the app, noopMetrics in unit tests). */
  metrics: Metrics;
  /** Acked socket work in progress; shutdown waits for it. */
  inFlight: InFlight;
  /** True once shutdown has begun: new work is refused with a retryable error, never dropped. */
  isClosing(): boolean;
}

/**
 * What a feature adds to the app. app.ts mounts `routes` under /api in order, calls each
 * `onConnection` for every authenticated socket (after it joined its user's room), and awaits
 * each `close` in order once in-flight work has drained.
 */
export interface Feature {
  routes?: Router;
  onConnection?(socket: AppSocket): void;
  close?(): Promise<void>;
}
