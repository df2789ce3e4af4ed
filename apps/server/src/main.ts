import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import { createApp, type ParleyApp } from './app.js';
import { startCluster, type Cluster } from './cluster/index.js';
import { ConfigError, parseEnv, toAppConfig } from './config.js';
import { connectDatabase } from './db/connect.js';
import { resolveDatabase } from './db/resolveDatabase.js';
import { InMemoryPresenceStore } from './features/presence/presence.store.js';
import { resolveJwtSecret } from './secrets.js';

/** apps/web/dist, from apps/server/src (tsx) and apps/server/dist (built) alike. */
const DEFAULT_WEB_DIST_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** What a clean stop closes, in order; filled in as main() gets further. */
const running: {
  app?: ParleyApp;
  cluster?: Cluster;
  closeDb?: () => Promise<void>;
  stopLocalDb?: () => Promise<void>;
} = {};

async function closeEverything(): Promise<void> {
  await running.app?.close();
  await running.cluster?.close();
  await running.closeDb?.();
  await running.stopLocalDb?.();
}

async function main(): Promise<void> {
  const env = parseEnv(process.env);
  const logger = pino({ level: env.LOG_LEVEL });
  const config = { ...toAppConfig(env, resolveJwtSecret(env, logger)), webDistDir: env.WEB_DIST_DIR ?? DEFAULT_WEB_DIST_DIR };
  handleCrashes(logger, config.shutdownTimeoutMs);

  if (!env.MONGODB_URI && config.production) throw new ConfigError('MONGODB_URI is required in production');
  const database = await resolveDatabase({ mongodbUri: env.MONGODB_URI, dataDir: env.DATA_DIR, log: (line) => logger.info(line) });
  running.stopLocalDb = database.local?.stop;
  const db = await connectDatabase(database.uri, { timeoutMs: env.DB_TIMEOUT_MS });
  running.closeDb = () => db.close();

  // Several nodes share Redis; without REDIS_URL everything stays in this process.
  const cluster = env.REDIS_URL ? await startCluster(env.REDIS_URL, logger) : undefined;
  running.cluster = cluster;

  const app = createApp({ config, db, presenceStore: new InMemoryPresenceStore(), logger, socketAdapter: cluster?.socketAdapter });
  running.app = app;
  cluster?.attach(app.io);
  await new Promise<void>((resolve) => app.httpServer.listen(env.PORT, env.HOST, resolve));
  const address = app.httpServer.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  logger.info({ port }, `Parley API listening on http://localhost:${port}`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const forceExit = setTimeout(() => process.exit(1), config.shutdownTimeoutMs + 5000);
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
function handleCrashes(logger: Logger, shutdownTimeoutMs: number): void {
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
