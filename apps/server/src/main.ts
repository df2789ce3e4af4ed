import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createApp } from './app.js';
import { ConfigError, parseEnv, toAppConfig } from './config.js';
import { connectDatabase } from './db/connect.js';
import { startLocalDatabase, type LocalDatabase } from './db/localDatabase.js';
import { resolveJwtSecret } from './secrets.js';

const DEFAULT_DB_NAME = 'parley';
/** apps/web/dist, from apps/server/src (tsx) and apps/server/dist (built) alike. */
const DEFAULT_WEB_DIST_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

async function main(): Promise<void> {
  const env = parseEnv(process.env);
  const logger = pino({ level: env.LOG_LEVEL });
  const config = { ...toAppConfig(env, resolveJwtSecret(env, logger)), webDistDir: env.WEB_DIST_DIR ?? DEFAULT_WEB_DIST_DIR };

  let localDatabase: LocalDatabase | undefined;
  let uri = env.MONGODB_URI;
  if (!uri) {
    if (config.production) throw new ConfigError('MONGODB_URI is required in production');
    localDatabase = await startLocalDatabase({
      dataDir: path.resolve(env.DATA_DIR, 'db'),
      log: (line) => logger.info(line),
    });
    uri = localDatabase.uri;
  }
  const hasDbName = new URL(uri).pathname.length > 1;
  const db = await connectDatabase(uri, { timeoutMs: env.DB_TIMEOUT_MS, ...(hasDbName ? {} : { dbName: DEFAULT_DB_NAME }) });

  const app = createApp({ config, db, logger });
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
    await app.close();
    await db.close();
    await localDatabase?.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
