/**
 * `pnpm bench [--quick] [--only=S1,S2,S3,S4,S6,S7,B3,S8]`: Parley's load and latency benchmark, with its
 * baselines measured in the same run on the same machine. See docs/performance.md.
 *
 * Processes: this coordinator (database seeding, B3, report), the server under test
 * (server.ts: Parley's createApp; or baseline.ts: B1 ws + B2 Socket.IO relays), and one load
 * generator (loadgen.ts), all driven over the typed IPC of ipc.ts. Each scenario lives in
 * scenarios/. Every phase is bounded in count and time; every child is killed on exit.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectDatabase } from '../../apps/server/src/db/connect.js';
import { startLocalDatabase, type LocalDatabase } from '../../apps/server/src/db/localDatabase.js';
import { now, round, sleep } from './common.js';
import { log, startedAt, type BenchContext } from './context.js';
import { P, QUICK, asked, want } from './params.js';
import { findChildByName, killAll, machineMeter, procMeter, startChild } from './procs.js';
import { renderMarkdown, renderSvg, type BenchResults } from './report.js';
import { runB3 } from './scenarios/b3Database.js';
import { parleyPairs } from './scenarios/parleyPairs.js';
import { runS1 } from './scenarios/s1ConnectStorm.js';
import { runS2Baselines, runS2Parley } from './scenarios/s2Latency.js';
import { runS3 } from './scenarios/s3Throughput.js';
import { runS4AndS5 } from './scenarios/s4PresenceFanout.js';
import { runS6 } from './scenarios/s6ReadPath.js';
import { runS7, S7_USERS } from './scenarios/s7NoisyNeighbour.js';
import { runS8 } from './scenarios/s8Cluster.js';
import { seedUsers } from './seed.js';

let localDb: LocalDatabase | undefined;
let tmpDir: string | undefined;
async function cleanup(): Promise<void> {
  killAll();
  await localDb?.stop().catch(() => {});
  if (tmpDir) rmSync(tmpDir, { recursive: true, force: true });
}
process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));
process.on('SIGTERM', () => void cleanup().then(() => process.exit(143)));

const results: BenchResults = {
  startedAt: new Date().toISOString(),
  mode: QUICK ? 'quick' : 'full',
  complete: false,
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    database: 'unknown',
    loadAverage: os.loadavg().map((x) => round(x, 2)),
  },
  params: P,
  s1: [],
  s2: [],
  s3: { steps: [], maxSustained: null },
  s4: [],
  s5: [],
  s6: [],
  s7: [],
  b3: [],
  s8: [],
  notes: [],
};

async function main(): Promise<void> {
  // Database: MONGODB_URI, or a throw-away local one (FerretDB here).
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    tmpDir = mkdtempSync(path.join(os.tmpdir(), 'parley-bench-'));
    localDb = await startLocalDatabase({ dataDir: tmpDir, log });
    uri = localDb.uri;
    results.machine.database = localDb.kind;
  } else {
    results.machine.database = 'MONGODB_URI';
  }
  const dbPid = localDb ? findChildByName(localDb.kind === 'ferretdb' ? 'ferretdb' : 'mongod') : undefined;
  const dbMeter = procMeter(dbPid);
  const machine = machineMeter();
  const dbName = `parley_bench_${Date.now()}`;
  log(`database ${results.machine.database} at ${uri} (db ${dbName}, pid ${dbPid ?? '?'})`);
  const conn = await connectDatabase(uri, { timeoutMs: 10_000, dbName });

  const secret = randomBytes(32).toString('hex');
  const maxUsers =
    Math.max(
      ...P.s1.sizes,
      2 * P.s2.pairs,
      2 * P.s3.pairs,
      Math.max(...P.s4.levels) + P.s4.probes * P.s4.levels.length,
      P.s6.users,
      P.s6.widePartners + 1,
      S7_USERS,
    ) + 10;
  const users = await seedUsers(conn, maxUsers, secret, results);

  // B1 and B2 live in one process for the whole run (each idles while the other is measured).
  const [loadgen, baselineServer] = await Promise.all([startChild('loadgen', {}), startChild('baseline', {}, { exposeGc: true })]);
  const baseline = {
    server: baselineServer,
    b1: `ws://127.0.0.1:${baselineServer.ready.wsPort}`,
    b2: `http://127.0.0.1:${baselineServer.ready.sioPort}`,
  };
  log(`load generator pid ${loadgen.pid}, fd limit ${String(loadgen.ready.fdLimit)}`);

  const env = { BENCH_MONGODB_URI: uri, BENCH_DB_NAME: dbName, BENCH_JWT_SECRET: secret, BENCH_PRESENCE_GRACE_MS: '100' };
  const ctx: BenchContext = {
    P,
    results,
    conn,
    users,
    loadgen,
    baseline,
    dbMeter,
    async startParley(extraEnv = {}) {
      const server = await startChild('server', { ...env, ...extraEnv }, { exposeGc: true });
      return { server, url: `http://127.0.0.1:${server.ready.port}` };
    },
    async metered(server, body) {
      await Promise.all([server.rpc.begin(), loadgen.rpc.begin()]);
      dbMeter.begin();
      machine.begin();
      const result = await body();
      const [serverM, loadgenM] = await Promise.all([server.rpc.read(), loadgen.rpc.read()]);
      const db = dbMeter.read();
      const m = machine.read();
      // Cores busy on the machine beyond the bench's own processes: the noise of this measurement.
      const othersCores = round(m.busyCores - serverM.cpuShare - loadgenM.cpuShare - (db?.cpuShare ?? 0), 2);
      return { ...result, server: serverM, loadgen: loadgenM, db, machine: { ...m, othersCores } };
    },
    async finish(server, ...groups) {
      await server.stop(); // first, so closing the clients triggers no offline fan-out
      for (const group of groups) await loadgen.rpc.close({ group });
      await sleep(200);
    },
  };

  const watchdog = setTimeout(() => {
    log(`watchdog: the run exceeded ${P.watchdogMs / 1000} s; writing partial results`);
    results.notes.push(`INCOMPLETE: stopped by the ${P.watchdogMs / 1000} s watchdog`);
    void writeResults().finally(() => cleanup().then(() => process.exit(0)));
  }, P.watchdogMs);
  watchdog.unref();

  if (want('S1')) await runS1(ctx);
  // S2 and S3 share one Parley server and its connected pairs; the baselines' S2 comes after.
  if (want('S2') || want('S3')) {
    const pairs = parleyPairs(ctx);
    if (want('S2')) await runS2Parley(ctx, pairs);
    if (want('S3')) await runS3(ctx, pairs);
    await pairs.close();
    if (want('S2')) await runS2Baselines(ctx);
  }
  if (want('S4')) await runS4AndS5(ctx);
  if (want('S6')) await runS6(ctx);
  if (want('S7')) await runS7(ctx);
  if (asked('S8') || (!QUICK && want('S8'))) await runS8(ctx);
  if (want('B3')) await runB3(ctx);

  await conn.close();
  await Promise.all([loadgen.stop(), baseline.server.stop()]);
  results.complete = true;
  await writeResults();
}

async function writeResults(): Promise<void> {
  results.durationS = round((now() - startedAt) / 1000, 1);
  const dir = path.resolve(fileURLToPath(new URL('../results', import.meta.url)));
  mkdirSync(dir, { recursive: true });
  const stamp = results.startedAt.replace(/[:.]/g, '-');
  const base = path.join(dir, `${stamp}${QUICK ? '-quick' : ''}`);
  const md = renderMarkdown(results);
  writeFileSync(`${base}.json`, JSON.stringify(results, null, 2));
  writeFileSync(`${base}.md`, md);
  writeFileSync(`${base}.svg`, renderSvg(results));
  console.log(md);
  log(`results: ${base}.{json,md,svg}`);
}

main()
  .then(async () => {
    await cleanup();
    process.exit(0);
  })
  .catch(async (error: unknown) => {
    console.error('bench failed:', error);
    results.notes.push(`FAILED: ${String((error as Error)?.message ?? error)}`);
    await writeResults().catch(() => {});
    await cleanup();
    process.exit(1);
  });
