/**
 * `pnpm bench [--quick] [--only=S1,S2,S3,S4,B3]`: Parley's load and latency benchmark, with its
 * baselines measured in the same run on the same machine. See docs/performance.md.
 *
 * Processes: this coordinator (database seeding, B3, report), the server under test
 * (server.ts: Parley's createApp; or baseline.ts: B1 ws + B2 Socket.IO relays), and one load
 * generator (loadgen.ts). Every phase is bounded in count and time; every child is killed on exit.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection } from 'mongoose';
import { connectDatabase } from '../../apps/server/src/db/connect.js';
import { startLocalDatabase, type LocalDatabase } from '../../apps/server/src/db/localDatabase.js';
import { hashPassword } from '../../apps/server/src/features/auth/passwords.js';
import { createAccessTokens } from '../../apps/server/src/features/auth/tokens.js';
import { messageModel } from '../../apps/server/src/features/messages/message.model.js';
import { userModel } from '../../apps/server/src/features/users/user.model.js';
import { newHistogram, now, recordMs, round, selfMeter, sleep, summarize, type LatencySummary, type ProcessMetrics } from './common.js';
import { findChildByName, killAll, machineMeter, procMeter, startChild, type Child } from './procs.js';
import { renderMarkdown, renderSvg, type BenchResults } from './report.js';
import { benchConfig } from './benchConfig.js';
import { PARTNERS_PER_USER, ringPairs, seedConversations, starPairs } from './partners.js';

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const ONLY = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const want = (name: string) => !ONLY || ONLY.includes(name);

const P = QUICK
  ? {
      s1: { sizes: [200], rate: 400, capMs: 15_000 },
      s2: { pairs: 25, rates: [50, 200], warmupS: 0.5, measureS: 2, drainS: 2 },
      s3: { pairs: 25, rates: [25, 50, 100, 200, 400], warmupS: 0.5, measureS: 2, drainS: 2 },
      s4: { levels: [100, 250], probes: 2, rate: 500 },
      b3: { concurrencies: [1, 8], batches: [100], scanSizes: [0, 1000], seconds: 1 },
      watchdogMs: 170_000,
    }
  : {
      // Scaled down from the N = 5,000/10,000 sockets and 500 pairs: on this shared 2-core machine
      // the O(N^2) presence fan-out of a connect storm does not converge within a minute at N >= 5,000
      // (see docs/performance.md), and every Parley restart would pay it again.
      s1: { sizes: [10_000], rate: 500, capMs: 60_000 },
      s2: { pairs: 100, rates: [50, 250, 500, 1000, 2000], warmupS: 2, measureS: 8, drainS: 5 },
      s3: { pairs: 100, rates: [10, 25, 50, 100, 150, 200, 300, 400, 600, 800, 1000, 1500, 2000], warmupS: 2, measureS: 8, drainS: 5 },
      s4: { levels: [100, 1000, 5000], probes: 5, rate: 500 },
      b3: { concurrencies: [1, 4, 16, 64], batches: [10, 100, 1000], scanSizes: [0, 1000, 5000], seconds: 3 },
      watchdogMs: 40 * 60_000,
    };
const CONTENT_LENGTH = 100;
const SETUP_RATE = 500;

const started = now();
const log = (line: string) => console.error(`[bench ${((now() - started) / 1000).toFixed(1).padStart(6)}s] ${line}`);

let localDb: LocalDatabase | undefined;
let tmpDir: string | undefined;
async function cleanup(): Promise<void> {
  killAll();
  await localDb?.stop().catch(() => {});
  if (tmpDir) rmSync(tmpDir, { recursive: true, force: true });
}
process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));
process.on('SIGTERM', () => void cleanup().then(() => process.exit(143)));

interface User {
  id: string;
  token: string;
}

type Step = Record<string, unknown> & { server?: ProcessMetrics; loadgen?: ProcessMetrics; db?: unknown };

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
  b3: [],
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

  // Users up front: one argon2id hash for all, inserted directly; tokens minted with the server's code.
  const secret = randomBytes(32).toString('hex');
  const maxUsers =
    Math.max(...P.s1.sizes, 2 * P.s2.pairs, 2 * P.s3.pairs, Math.max(...P.s4.levels) + P.s4.probes * P.s4.levels.length) + 10;
  const users = await seedUsers(conn, maxUsers, secret);

  const startBaselineProc = async () => {
    const server = await startChild('baseline', {}, { exposeGc: true });
    return {
      server,
      b1: `ws://127.0.0.1:${String(server.ready.wsPort)}`,
      b2: `http://127.0.0.1:${String(server.ready.sioPort)}`,
    };
  };
  // B1 and B2 live in one process for the whole run (each idles while the other is measured).
  const [loadgen, baseline] = await Promise.all([startChild('loadgen', {}), startBaselineProc()]);
  log(`load generator pid ${loadgen.pid}, fd limit ${String(loadgen.ready.fdLimit)}`);

  const env = { BENCH_MONGODB_URI: uri, BENCH_DB_NAME: dbName, BENCH_JWT_SECRET: secret, BENCH_PRESENCE_GRACE_MS: '100' };
  const startParley = async () => {
    const server = await startChild('server', env, { exposeGc: true });
    return { server, url: `http://127.0.0.1:${String(server.ready.port)}` };
  };
  const startBaseline = async () => baseline;

  /** Runs `body` between begin/read of every meter: server, load generator, database. */
  async function metered<T extends object>(server: Child, body: () => Promise<T>): Promise<T & Step> {
    await Promise.all([server.call('begin'), loadgen.call('begin')]);
    dbMeter.begin();
    machine.begin();
    const result = await body();
    const [serverM, loadgenM] = await Promise.all([server.call<ProcessMetrics>('read'), loadgen.call<ProcessMetrics>('read')]);
    const db = dbMeter.read();
    const m = machine.read();
    // Cores busy on the machine beyond the bench's own processes: the noise of this measurement.
    const othersCores = round(m.busyCores - serverM.cpuShare - loadgenM.cpuShare - (db?.cpuShare ?? 0), 2);
    return { ...result, server: serverM, loadgen: loadgenM, db, machine: { ...m, othersCores } };
  }

  async function finish(server: Child, ...groups: string[]) {
    await server.stop(); // first, so closing the clients triggers no offline fan-out
    for (const group of groups) await loadgen.call('close', { group });
    await sleep(200);
  }

  const watchdog = setTimeout(() => {
    log(`watchdog: the run exceeded ${P.watchdogMs / 1000} s; writing partial results`);
    results.notes.push(`INCOMPLETE: stopped by the ${P.watchdogMs / 1000} s watchdog`);
    void writeResults().finally(() => cleanup().then(() => process.exit(0)));
  }, P.watchdogMs);
  watchdog.unref();

  // ---- S1: connect storm --------------------------------------------------------------------
  if (want('S1')) {
    for (const n of P.s1.sizes) {
      const connectArgs = { users: users.slice(0, n), rate: P.s1.rate, timeoutMs: P.s1.capMs, capMs: P.s1.capMs };
      // Each of the N users has 20 conversation partners among the others (a ring).
      await messageModel(conn).deleteMany({});
      await seedConversations(conn, ringPairs(users.slice(0, n)));
      log(`S1: ${n} users with ${PARTNERS_PER_USER} partners each`);
      {
        const { server, url } = await startParley();
        const idle = await server.call<ProcessMetrics>('read');
        log(`S1 parley N=${n} at ${P.s1.rate}/s`);
        const step = await metered(server, () =>
          loadgen.call<Record<string, unknown>>('connect', { ...connectArgs, group: 's1', kind: 'parley', url }, P.s1.capMs * 4 + 60_000),
        );
        results.s1.push({ system: 'parley', n, rate: P.s1.rate, idleRssMB: idle.rssMB, ...step });
        log(`  ${fmtLat(step.latency as LatencySummary)} failures ${String(step.failures)} rss ${step.server?.rssMB} MB`);
        await finish(server, 's1');
      }
      const { server, b1, b2 } = await startBaseline();
      for (const [system, kind, url, presence] of [
        ['b2', 'b2', b2, true],
        ['b1', 'b1', b1, false],
      ] as const) {
        const idle = await server.call<ProcessMetrics>('read');
        log(`S1 ${system} N=${n}`);
        const step = await metered(server, () =>
          loadgen.call<Record<string, unknown>>('connect', { ...connectArgs, group: 's1', kind, url, presence }, P.s1.capMs * 4 + 60_000),
        );
        results.s1.push({ system, n, rate: P.s1.rate, idleRssMB: idle.rssMB, ...step });
        log(`  ${fmtLat(step.latency as LatencySummary)} failures ${String(step.failures)} rss ${step.server?.rssMB} MB`);
        await server.call('reset');
        await loadgen.call('close', { group: 's1' });
        await sleep(500);
      }
    }
  }

  // ---- S2 (and S3 on the same Parley sockets): one-to-one latency ---------------------------
  const pairsOf = (count: number) => Array.from({ length: count }, (_, i) => [2 * i, 2 * i + 1] as [number, number]);
  if (want('S2') || want('S3')) {
    const Messages = messageModel(conn);
    const pairUsers = users.slice(0, 2 * Math.max(P.s2.pairs, P.s3.pairs));
    let sys: { server: Child; url: string } | undefined;
    let restart = true;
    /** One Parley traffic step on an empty messages collection, on a server with no backlog. */
    const parleyStep = async (rate: number, p: typeof P.s2) => {
      if (restart && sys) await finish(sys.server, 'pairs');
      if (restart || !sys) {
        sys = await startParley();
        const setup = await loadgen.call<{ failures: number }>(
          'connect',
          { group: 'pairs', kind: 'parley', url: sys.url, users: pairUsers, rate: SETUP_RATE, timeoutMs: 30_000, capMs: 30_000 },
          300_000,
        );
        if (setup.failures > 0) results.notes.push(`Parley pairs setup: ${setup.failures} sockets failed to connect`);
      }
      await Messages.deleteMany({});
      const server = sys.server;
      const step = await metered(server, () => loadgen.call<Record<string, unknown>>('traffic', trafficArgs('pairs', pairsOf(p.pairs), rate, p), 300_000));
      const t = step as unknown as TrafficResult;
      // A saturated server still holds queued sends: the next step gets a fresh one.
      restart = t.lostOrLate > 0 || t.nacks > 0 || t.deliveredRate < 0.95 * rate;
      return { ...step, messagesAtEnd: await Messages.estimatedDocumentCount(), saturated: restart };
    };
    if (want('S2')) {
      for (const rate of P.s2.rates) {
        log(`S2 parley ${P.s2.pairs} pairs at ${rate} msg/s`);
        const step = await parleyStep(rate, P.s2);
        results.s2.push({ system: 'parley', pairs: P.s2.pairs, ...step });
        logTraffic(step);
        if ((step as unknown as TrafficResult).deliveredRate < 0.5 * rate) {
          const skipped = P.s2.rates.filter((r) => r > rate);
          if (skipped.length) results.notes.push(`S2: Parley delivered under half of ${rate} msg/s, so ${skipped.join(', ')} msg/s were not offered to it`);
          break;
        }
      }
    }
    if (want('S3')) {
      for (const rate of P.s3.rates) {
        log(`S3 parley ${P.s3.pairs} pairs at ${rate} msg/s`);
        const step = await parleyStep(rate, P.s3);
        const t = step as unknown as TrafficResult;
        const pass = t.ack.p99 <= 50 && t.deliver.p99 <= 50 && t.nacks === 0 && t.deliveredRate >= 0.95 * rate && t.lostOrLate === 0;
        results.s3.steps.push({ system: 'parley', pairs: P.s3.pairs, pass, ...step });
        logTraffic(step);
        if (!pass) break;
        results.s3.maxSustained = { offered: rate, delivered: round(t.deliveredRate, 1), ackP99: t.ack.p99, deliverP99: t.deliver.p99 };
      }
    }
    if (sys) await finish(sys.server, 'pairs');

    if (want('S2')) {
      const base = await startBaseline();
      for (const [system, kind, burl] of [
        ['b2', 'b2', base.b2],
        ['b1', 'b1', base.b1],
      ] as const) {
        await loadgen.call(
          'connect',
          { group: 'pairs', kind, url: burl, users: users.slice(0, 2 * P.s2.pairs), rate: SETUP_RATE, timeoutMs: 30_000, capMs: 30_000 },
          300_000,
        );
        for (const rate of P.s2.rates) {
          log(`S2 ${system} ${P.s2.pairs} pairs at ${rate} msg/s`);
          const step = await metered(base.server, () => loadgen.call<Record<string, unknown>>('traffic', trafficArgs('pairs', pairsOf(P.s2.pairs), rate, P.s2), 300_000));
          results.s2.push({ system, pairs: P.s2.pairs, ...step });
          logTraffic(step);
        }
        await base.server.call('reset');
        await loadgen.call('close', { group: 'pairs' });
        await sleep(300);
      }
    }
  }

  // ---- S4 presence fan-out and S5 memory per idle socket ------------------------------------
  if (want('S4')) {
    const maxLevel = Math.max(...P.s4.levels);
    const observers = users.slice(0, maxLevel);
    const probers = users.slice(maxLevel);
    // Each prober has 20 partners, all online from the first level on: its watchers. (Observers do
    // not get 20 partners each here: on FerretDB every connect's partner query scans the messages,
    // and 50,000 of them would make the ramp to 5,000 take hours. See docs/performance.md.)
    await messageModel(conn).deleteMany({});
    await seedConversations(conn, starPairs(probers, observers.slice(0, PARTNERS_PER_USER)));
    for (const system of ['parley', 'b2'] as const) {
      const sys = system === 'parley' ? await startParley() : await startBaseline();
      const server = sys.server;
      const url = 'url' in sys ? sys.url : sys.b2;
      const kind = system;
      const idle = await server.call<ProcessMetrics>('gc');
      results.s5.push({ system, sockets: 0, rssMB: idle.rssMB, heapMB: idle.heapMB });
      let have = 0;
      let probeIndex = 0;
      for (const level of P.s4.levels) {
        log(`S4/S5 ${system}: ${have} -> ${level} online`);
        const ramp = await loadgen.call<{ failures: number; totalS: number }>(
          'connect',
          { group: 'observers', kind, url, users: observers.slice(have, level), rate: P.s4.rate, timeoutMs: 60_000, capMs: 60_000, presence: true },
          600_000,
        );
        have = level;
        const online = await loadgen.call<number>('count', { group: 'observers' });
        await sleep(500);
        const mem = await server.call<ProcessMetrics>('gc');
        results.s5.push({ system, sockets: online, rssMB: mem.rssMB, heapMB: mem.heapMB, rampS: round(ramp.totalS, 1) });
        const probes: unknown[] = [];
        const step = await metered(server, async () => {
          for (let p = 0; p < P.s4.probes; p++) {
            // Parley tells the prober's watchers (its partners); the B2 relay tells everyone.
            const expected = system === 'parley' ? PARTNERS_PER_USER : online;
            probes.push(await loadgen.call('probe', { group: 'observers', kind, url, prober: probers[probeIndex++], expected, timeoutMs: 30_000 }, 120_000));
            await sleep(100);
          }
          return {};
        });
        const summary = summarizeProbes(probes as ProbeResult[], system === 'parley' ? PARTNERS_PER_USER : online);
        const changes = 2 * P.s4.probes;
        results.s4.push({
          system,
          online,
          ...summary,
          cpuMsPerChange: round(((step.server?.cpuS ?? 0) * 1000) / changes, 2),
          loadgenCpuMsPerChange: round(((step.loadgen?.cpuS ?? 0) * 1000) / changes, 2),
          server: step.server,
          machine: step.machine,
          loadgen: step.loadgen,
          probes,
        });
        log(`  online last ${summary.onlineLastMs} ms, offline last ${summary.offlineLastMs} ms, rss ${mem.rssMB} MB`);
      }
      if (system === 'parley') await finish(server, 'observers');
      else {
        await server.call('reset');
        await loadgen.call('close', { group: 'observers' });
        await sleep(300);
      }
    }
  }

  // ---- B3: the database alone ---------------------------------------------------------------
  if (want('B3')) await runB3(conn, users, dbMeter);

  await conn.close();
  await Promise.all([loadgen.stop(), baseline.server.stop()]);
  results.complete = true;
  await writeResults();
}

interface TrafficResult {
  offeredRate: number;
  deliveredRate: number;
  nacks: number;
  lostOrLate: number;
  deliver: LatencySummary;
  ack: LatencySummary;
  sendLag: LatencySummary;
}

interface ProbeResult {
  error: string | null;
  online: { count: number; lastMs: number; connectMs: number };
  offline: { count: number; lastMs: number };
}

function summarizeProbes(probes: ProbeResult[], expected: number) {
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return round(s[Math.floor(s.length / 2)] ?? NaN, 1);
  };
  return {
    complete: probes.every((p) => p.online.count === expected && p.offline.count === expected),
    onlineLastMs: median(probes.map((p) => p.online.lastMs)),
    onlineConnectMs: median(probes.map((p) => p.online.connectMs)),
    offlineLastMs: median(probes.map((p) => p.offline.lastMs)),
    msPerRecipient: round(median(probes.map((p) => p.online.lastMs)) / Math.max(expected, 1), 4),
  };
}

function trafficArgs(group: string, pairs: [number, number][], rate: number, p: { warmupS: number; measureS: number; drainS: number }) {
  return { group, pairs, rate, warmupS: p.warmupS, measureS: p.measureS, drainS: p.drainS, contentLength: CONTENT_LENGTH };
}

function fmtLat(l: LatencySummary | undefined): string {
  return l ? `p50 ${l.p50} ms p99 ${l.p99} ms p99.9 ${l.p999} ms (n=${l.count})` : 'n/a';
}

function logTraffic(step: Record<string, unknown> & Step): void {
  const t = step as unknown as TrafficResult;
  log(
    `  deliver ${fmtLat(t.deliver)} | ack p99 ${t.ack.p99} | delivered ${round(t.deliveredRate, 0)}/s, lost ${t.lostOrLate}, nacks ${t.nacks} | server cpu ${step.server?.cpuShare} db cpu ${(step.db as { cpuShare?: number } | undefined)?.cpuShare ?? '?'} loadgen cpu ${step.loadgen?.cpuShare} sendLag p99 ${t.sendLag.p99}`,
  );
}

async function seedUsers(conn: Connection, count: number, secret: string): Promise<User[]> {
  const t0 = now();
  const passwordHash = await hashPassword('bench-password-not-secret');
  const hashMs = now() - t0;
  const Users = userModel(conn);
  const tag = randomBytes(3).toString('hex');
  const ids: string[] = [];
  for (let start = 0; start < count; start += 1000) {
    const docs = Array.from({ length: Math.min(1000, count - start) }, (_, j) => ({
      username: `b${tag}_${start + j}`,
      displayName: `Bench user ${start + j}`,
      passwordHash,
    }));
    const inserted = await Users.insertMany(docs);
    ids.push(...inserted.map((doc) => String(doc._id)));
  }
  const tokens = createAccessTokens(benchConfig(secret, 100).jwt);
  const users: User[] = [];
  for (const id of ids) users.push({ id, token: await tokens.sign(id) });
  log(`seeded ${count} users in ${round((now() - t0) / 1000, 1)} s (one argon2id hash: ${round(hashMs, 0)} ms; registering each over HTTP would cost that per user)`);
  results.notes.push(`users: ${count} inserted directly with one precomputed argon2id hash (${round(hashMs, 0)} ms per hash), tokens minted with the server's createAccessTokens`);
  return users;
}

async function runB3(conn: Connection, users: User[], dbMeter: ReturnType<typeof procMeter>): Promise<void> {
  const Messages = messageModel(conn);
  const me = selfMeter();
  const sender = users[0]!.id;
  const receiver = users[1]!.id;
  const tag = randomBytes(4).toString('hex');
  let seq = 0;
  const doc = () => ({ sender, receiver, content: 'x'.repeat(CONTENT_LENGTH), clientMessageId: `b3${tag}_${seq++}` });

  async function closedLoop(label: string, concurrency: number, op: () => Promise<unknown>, perOp: number) {
    const hist = newHistogram();
    const seconds = P.b3.seconds;
    me.begin();
    dbMeter.begin();
    const t0 = now();
    const end = t0 + seconds * 1000;
    let ops = 0;
    let errors = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (now() < end) {
          const s = now();
          try {
            await op();
            recordMs(hist, now() - s);
            ops++;
          } catch {
            errors++;
          }
        }
      }),
    );
    const wall = (now() - t0) / 1000;
    const row = {
      op: label,
      concurrency,
      docsPerOp: perOp,
      opsPerS: round(ops / wall, 1),
      docsPerS: round((ops * perOp) / wall, 1),
      errors,
      latency: summarize(hist),
      client: me.read(),
      db: dbMeter.read(),
      docsAfter: await Messages.estimatedDocumentCount(),
    };
    results.b3.push(row);
    log(`B3 ${label} c=${concurrency} x${perOp}: ${row.docsPerS} docs/s, ${fmtLat(row.latency)} db cpu ${row.db?.cpuShare ?? '?'}`);
  }

  const clear = () => Messages.deleteMany({});
  await clear();
  for (const c of P.b3.concurrencies) await closedLoop('insertOne (Model.create)', c, () => Messages.create(doc()), 1);
  // FerretDB's SQLite backend pushes no filter down: a findOne costs a scan of the collection. A send
  // no longer reads before it inserts, but history, conversations, receipts and a retried send do.
  for (const size of P.b3.scanSizes) {
    await clear();
    for (let have = 0; have < size; have += 1000) {
      await Messages.insertMany(Array.from({ length: Math.min(1000, size - have) }, doc), { lean: true });
    }
    await closedLoop(`findOne {sender, clientMessageId}, ${size} docs`, 1, () => Messages.findOne({ sender, clientMessageId: 'absent' }).lean(), 1);
  }
  await clear();
  for (const b of P.b3.batches) {
    await closedLoop('insertMany', 1, () => Messages.insertMany(Array.from({ length: b }, doc), { lean: true }), b);
  }
  await clear();
}

async function writeResults(): Promise<void> {
  results.durationS = round((now() - started) / 1000, 1);
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
