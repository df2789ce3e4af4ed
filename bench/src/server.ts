/**
 * The system under test: Parley's real createApp, in a process of its own, with bench limits.
 * It adds nothing to the product: metrics (CPU seconds, event-loop delay, RSS) are answered over
 * the IPC channel to the coordinator, never over HTTP.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../apps/server/src/app.js';
import { startCluster } from '../../apps/server/src/cluster/index.js';
import { connectDatabase } from '../../apps/server/src/db/connect.js';
import { lineLogger } from '../../apps/server/src/lib/logger.js';
import { noopMetrics } from '../../apps/server/src/lib/metrics.js';
import { benchConfig } from './benchConfig.js';
import { collectGarbage, selfMeter } from './common.js';
import { announceReady, serveIpc, type SystemApi } from './ipc.js';

const errors: string[] = [];
let errorCount = 0;
// Warnings and errors only (pino levels 40 and 50), counted and the first few kept.
const logger = lineLogger('warn', (line) => {
  errorCount++;
  const entry = JSON.parse(line) as { level: number; msg?: string; err?: { message?: string } };
  if (errors.length < 5) errors.push(`${entry.level >= 50 ? 'error' : 'warn'} ${entry.msg ?? ''} ${entry.err?.message ?? ''}`);
});

/**
 * BENCH_CPU_PROF=<dir>: this server profiles itself and writes the V8 CPU profile there when told
 * to exit (the flag form of --cpu-prof would be lost if the coordinator has to kill it).
 */
function startProfiling(): (() => void) | undefined {
  const dir = process.env.BENCH_CPU_PROF;
  if (!dir) return undefined;
  const session = new Session();
  session.connect();
  session.post('Profiler.enable', () => session.post('Profiler.start'));
  return () =>
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(`${dir}/server-${process.pid}.cpuprofile`, JSON.stringify(result.profile));
    });
}

async function main(): Promise<void> {
  const stopProfiling = startProfiling();
  const uri = process.env.BENCH_MONGODB_URI!;
  const dbName = process.env.BENCH_DB_NAME!;
  const secret = process.env.BENCH_JWT_SECRET!;
  const graceMs = Number(process.env.BENCH_PRESENCE_GRACE_MS ?? '100');
  const meter = selfMeter();
  const db = await connectDatabase(uri, { timeoutMs: 10_000, dbName });
  // S8: with BENCH_REDIS_URL this node is one of several, sharing Redis as in production.
  const redisUrl = process.env.BENCH_REDIS_URL;
  // S7: the product's default per-user budgets instead of limits out of the way.
  const config = benchConfig(secret, graceMs, { defaultLimits: process.env.BENCH_LIMITS === 'default' });
  const cluster = redisUrl
    ? await startCluster(redisUrl, {
        logger,
        metrics: noopMetrics,
        loginThrottle: config.loginThrottle,
        presence: { graceMs, nodeTimeoutMs: 15_000 },
        budgets: config.budgets,
      })
    : undefined;
  const app = createApp({
    config,
    db,
    logger,
    socketAdapter: cluster?.socketAdapter,
    presenceStore: cluster?.presenceStore,
    budgets: cluster?.budgets,
  });
  cluster?.attach(app.io, () => app.registerSocketsAgain());
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = app.httpServer.address() as AddressInfo;

  serveIpc<SystemApi>({
    begin: () => meter.begin(),
    read: () => ({ ...meter.read(), sockets: app.io.engine.clientsCount, loggedErrors: errorCount, firstErrors: errors.slice() }),
    gc: () => collectGarbage(meter),
    exit: () => {
      stopProfiling?.();
      setTimeout(() => process.exit(0), 10);
    },
  });
  announceReady('server', { ready: true, port });
}

main().catch((error: unknown) => {
  console.error('bench server failed:', error);
  process.exit(1);
});
