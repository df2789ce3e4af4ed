import { fileURLToPath } from 'node:url';
import type { Server } from 'node:http';
import { createApp, type ParleyApp } from './app.js';
import { startCluster, type Cluster } from './cluster/index.js';
import { ConfigError, parseEnv, toAppConfig } from './config.js';
import { connectDatabase } from './db/connect.js';
import { resolveDatabase } from './db/resolveDatabase.js';
import { redisCheck } from './http/health.js';
import { startMetricsServer } from './features/observability/metricsServer.js';
import { createPrometheusMetrics } from './features/observability/prometheusMetrics.js';
import { createLogger, type AppLogger } from './lib/logger.js';
import { resolveJwtSecret } from './secrets.js';

/** apps/web/dist, from apps/server/src (tsx) and apps/server/dist (built) alike. */
const DEFAULT_WEB_DIST_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** What a clean stop closes, in order; filled in as main() gets further. */
const running: {
  app?: ParleyApp;
  cluster?: Cluster;
  metricsServer?: Server;
  closeDb?: () => Promise<void>;
  stopLocalDb?: () => Promise<void>;
} = {};

async function closeEverything(): Promise<void> {
  await running.app?.close();
  await running.cluster?.close();
  running.metricsServer?.close();
  await running.closeDb?.();
  await running.stopLocalDb?.();
}

async function main(): Promise<void> {
  const env = parseEnv(process.env);
  // Pretty for a person at a terminal (and `pnpm dev`, which asks for it); JSON lines otherwise.
  const logFormat = env.LOG_FORMAT ?? (process.stdout.isTTY && env.NODE_ENV !== 'production' ? 'pretty' : 'json');
  const logger = await createLogger({ level: env.LOG_LEVEL, format: logFormat });
  const config = { ...toAppConfig(env, resolveJwtSecret(env, logger)), webDistDir: env.WEB_DIST_DIR ?? DEFAULT_WEB_DIST_DIR };
  handleCrashes(logger, config.shutdownTimeoutMs);

  if (!env.MONGODB_URI && config.production) throw new ConfigError('MONGODB_URI is required in production');
  const database = await resolveDatabase({ mongodbUri: env.MONGODB_URI, dataDir: env.DATA_DIR, log: (line) => logger.info(line) });
  running.stopLocalDb = database.local?.stop;
  const db = await connectDatabase(database.uri, {
    timeoutMs: env.DB_TIMEOUT_MS,
    maxPoolSize: env.DB_MAX_POOL_SIZE,
    log: (line) => logger.info(line),
  });
  running.closeDb = () => db.close();

  const metrics = createPrometheusMetrics();
  // Several nodes share Redis; without REDIS_URL everything stays in this process.
  const cluster = env.REDIS_URL
    ? await startCluster(env.REDIS_URL, {
        logger,
        metrics,
        loginThrottle: config.loginThrottle,
        presence: { graceMs: config.presenceGraceMs, nodeTimeoutMs: env.PRESENCE_NODE_TIMEOUT_MS },
        budgets: config.budgets,
      })
    : undefined;
  running.cluster = cluster;

  const app = createApp({
    config,
    db,
    logger,
    metrics,
    // Several nodes: the state they share lives in Redis; otherwise in this process.
    socketAdapter: cluster?.socketAdapter,
    presenceStore: cluster?.presenceStore,
    revokedSessions: cluster?.revokedSessions,
    loginThrottle: cluster?.loginThrottle,
    rateLimitStore: cluster?.rateLimitStore,
    budgets: cluster?.budgets,
    readinessChecks: cluster ? [redisCheck(cluster.redis.commands)] : [],
  });
  running.app = app;
  // Presence re-registers this node's sockets when it finds itself reaped (a pause, a Redis restart).
  cluster?.attach(app.io, () => app.registerSocketsAgain());
  await new Promise<void>((resolve) => app.httpServer.listen(env.PORT, env.HOST, resolve));
  const address = app.httpServer.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  logger.info({ port }, `Parley API listening on http://localhost:${port}`);
  const metricsServer = env.METRICS_PORT ? await startMetricsServer(metrics, env.METRICS_PORT) : undefined;
  running.metricsServer = metricsServer;
  if (metricsServer) logger.info({ port: env.METRICS_PORT }, `metrics on http://127.0.0.1:${env.METRICS_PORT}/metrics`);
  else if (config.metricsToken) logger.info(`metrics on http://localhost:${port}/metrics (Bearer METRICS_TOKEN)`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const forceExit = setTimeout(() => process.exit(1), config.shutdownDrainDelayMs + config.shutdownTimeoutMs + 5000);
    forceExit.unref();
    await closeEverything();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/**
 * A bug that escaped every handler leaves the process in a state nobody reasoned about: log it,
 * close what can be closed (bounded in time), and exit 1 so the supervisor restarts us.
 */
function handleCrashes(logger: AppLogger, shutdownTimeoutMs: number): void {
  let crashed = false;
  const crash = (kind: string) => (error: unknown) => {
    logger.fatal({ err: error }, kind);
    if (crashed) return;
    crashed = true;
    setTimeout(() => process.exit(1), shutdownTimeoutMs + 5000).unref();
    closeEverything()
      .catch((closeError: unknown) => logger.error({ err: closeError }, 'close after a crash failed'))
      .finally(() => process.exit(1));
  };
  process.on('unhandledRejection', crash('unhandled promise rejection'));
  process.on('uncaughtException', crash('uncaught exception'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  void closeEverything().finally(() => process.exit(1));
});
