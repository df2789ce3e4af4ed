import { RedisProcess } from '../../../apps/server/src/cluster/redisServer.js';
import { freePort } from '../../../apps/server/src/lib/freePort.js';
import { round, sleep } from '../common.js';
import { log, type BenchContext } from '../context.js';
import type { ProbeResult } from '../ipc.js';
import { clearMessages, PARTNERS_PER_USER, seedConversations, starPairs } from '../partners.js';
import { procMeter, settle, type SystemChild } from '../procs.js';
import { recordIdleMemory } from './s5IdleMemory.js';

const B2_MAX_LEVEL = 1000;

/** Parley alone, Parley with REDIS_URL (issue 13: presence store and adapter in Redis), the B2 relay. */
type System = 'parley' | 'parley+redis' | 'b2';

/**
 * S4: presence fan-out. Observers ramp up level by level; at each level a prober comes online and
 * leaves, and we time the last observer to hear each. S5 (memory per idle socket) is read at the
 * same levels, on the same sockets. Parley runs twice: as one process, then with a Redis of its own
 * (presence state and fan-out through Redis, as with REDIS_URL): CPU per change with and without.
 */
export async function runS4AndS5(ctx: BenchContext): Promise<void> {
  const { P, loadgen, results } = ctx;
  const maxLevel = Math.max(...P.s4.levels);
  const observers = ctx.users.slice(0, maxLevel);
  const probers = ctx.users.slice(maxLevel);
  // Each prober has 20 partners, all online from the first level on: its watchers. (Observers do
  // not get 20 partners each here: on FerretDB every connect's partner query scans the messages,
  // and 50,000 of them would make the ramp to 5,000 take hours. See docs/performance.md.)
  await clearMessages(ctx.conn);
  const probersUsed = probers.slice(0, P.s4.probes * P.s4.levels.length);
  await seedConversations(ctx.conn, starPairs(probersUsed, observers.slice(0, PARTNERS_PER_USER)));
  for (const system of ['parley', 'parley+redis', 'b2'] as System[]) {
    const { server, url, stop, redisMeter } = await systemUnderTest(ctx, system);
    const kind = system === 'b2' ? 'b2' : 'parley';
    // S5 is Parley's memory as one process; with Redis it is the same code on the node.
    const memory = (sockets: number, extra?: { rampS: number }) =>
      system === 'parley+redis' ? server.rpc.gc().then((m) => m.rssMB) : recordIdleMemory(ctx, system, server, sockets, extra);
    try {
      await memory(0);
      let have = 0;
      let probeIndex = 0;
      // B2 tells everyone: its ramp to 5,000 is ~12 million frames and does not finish here.
      for (const level of P.s4.levels.filter((level) => system !== 'b2' || level <= B2_MAX_LEVEL)) {
        log(`S4/S5 ${system}: ${have} -> ${level} online`);
        const ramp = await loadgen.rpc.connect(
          { group: 'observers', kind, url, users: observers.slice(have, level), rate: P.s4.rate, timeoutMs: 60_000, capMs: 60_000, presence: true },
          600_000,
        );
        have = level;
        const online = await loadgen.rpc.count({ group: 'observers' });
        // Probe a settled server: the ramp's own work (each new socket's partners, its snapshot)
        // must not be counted as the cost of the probes' presence changes.
        await settle(server);
        // Parley tells the prober's watchers (its partners); the B2 relay tells everyone online.
        const watchers = system === 'b2' ? online : PARTNERS_PER_USER;
        await sleep(500);
        const rssMB = await memory(online, { rampS: round(ramp.totalS, 1) });
        // What the server spends with nobody coming or going (heartbeats, leftovers of the ramp),
        // measured just before the probes and taken off their CPU.
        await server.rpc.begin();
        await sleep(3000);
        const idleCpuPerS = (await server.rpc.read()).cpuS / 3;
        const probes: ProbeResult[] = [];
        const probesStarted = performance.now();
        redisMeter?.begin();
        const step = await ctx.metered(server, async () => {
          for (let p = 0; p < P.s4.probes; p++) {
            probes.push(await loadgen.rpc.probe({ group: 'observers', kind, url, prober: probers[probeIndex++]!, expected: watchers, timeoutMs: 30_000 }, 120_000));
            await sleep(100);
          }
          return {};
        });
        const summary = summarizeProbes(probes, watchers);
        const changes = 2 * P.s4.probes;
        results.s4.push({
          system,
          online,
          ...summary,
          cpuMsPerChange: round((Math.max(0, step.server.cpuS - idleCpuPerS * ((performance.now() - probesStarted) / 1000)) * 1000) / changes, 2),
          rawCpuMsPerChange: round((step.server.cpuS * 1000) / changes, 2),
          idleCpuShare: round(idleCpuPerS, 3),
          loadgenCpuMsPerChange: round((step.loadgen.cpuS * 1000) / changes, 2),
          redisCpuMsPerChange: redisCpuMs(redisMeter, changes),
          server: step.server,
          machine: step.machine,
          loadgen: step.loadgen,
          probes,
        });
        log(`  online last ${summary.onlineLastMs} ms, offline last ${summary.offlineLastMs} ms, rss ${rssMB} MB`);
      }
    } finally {
      await stop();
    }
  }
}

/** The Redis process's CPU over the probes, per change (its idle work is small and not taken off). */
function redisCpuMs(meter: ReturnType<typeof procMeter> | undefined, changes: number): number | undefined {
  const cpuS = meter?.read()?.cpuS;
  return cpuS === undefined ? undefined : round((cpuS * 1000) / changes, 2);
}

interface SystemUnderTest {
  server: SystemChild;
  url: string;
  stop(): Promise<void>;
  redisMeter?: ReturnType<typeof procMeter>;
}

async function systemUnderTest(ctx: BenchContext, system: System): Promise<SystemUnderTest> {
  if (system === 'b2') {
    const stop = async () => {
      await ctx.baseline.server.rpc.reset();
      await ctx.loadgen.rpc.close({ group: 'observers' });
      await sleep(300);
    };
    return { server: ctx.baseline.server, url: ctx.baseline.b2, stop };
  }
  const redis = system === 'parley+redis' ? new RedisProcess(await freePort()) : undefined;
  await redis?.start();
  const { server, url } = await ctx.startParley(redis ? { BENCH_REDIS_URL: redis.url } : {});
  const stop = async () => {
    await ctx.finish(server, 'observers');
    await redis?.stop();
  };
  return { server, url, stop, redisMeter: redis ? procMeter(redis.pid) : undefined };
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
