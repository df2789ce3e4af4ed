import { round, sleep } from '../common.js';
import { log, type BenchContext } from '../context.js';
import type { ProbeResult } from '../ipc.js';
import { clearMessages, PARTNERS_PER_USER, seedConversations, starPairs } from '../partners.js';
import type { SystemChild } from '../procs.js';
import { recordIdleMemory } from './s5IdleMemory.js';

const B2_MAX_LEVEL = 1000;

/**
 * S4: presence fan-out. Observers ramp up level by level; at each level a prober comes online and
 * leaves, and we time the last observer to hear each. S5 (memory per idle socket) is read at the
 * same levels, on the same sockets.
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
  for (const system of ['parley', 'b2'] as const) {
    const { server, url } = await systemUnderTest(ctx, system);
    const kind = system;
    await recordIdleMemory(ctx, system, server, 0);
    let have = 0;
    let probeIndex = 0;
    // B2 tells everyone: its ramp to 5,000 is ~12 million frames and does not finish here.
    for (const level of P.s4.levels.filter((level) => system === 'parley' || level <= B2_MAX_LEVEL)) {
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
      const watchers = system === 'parley' ? PARTNERS_PER_USER : online;
      await sleep(500);
      const rssMB = await recordIdleMemory(ctx, system, server, online, { rampS: round(ramp.totalS, 1) });
      // What the server spends with nobody coming or going (heartbeats, leftovers of the ramp),
      // measured just before the probes and taken off their CPU.
      await server.rpc.begin();
      await sleep(3000);
      const idleCpuPerS = (await server.rpc.read()).cpuS / 3;
      const probes: ProbeResult[] = [];
      const probesStarted = performance.now();
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
        server: step.server,
        machine: step.machine,
        loadgen: step.loadgen,
        probes,
      });
      log(`  online last ${summary.onlineLastMs} ms, offline last ${summary.offlineLastMs} ms, rss ${rssMB} MB`);
    }
    if (system === 'parley') await ctx.finish(server, 'observers');
    else {
      await ctx.baseline.server.rpc.reset();
      await loadgen.rpc.close({ group: 'observers' });
      await sleep(300);
    }
  }
}

async function systemUnderTest(ctx: BenchContext, system: 'parley' | 'b2'): Promise<{ server: SystemChild; url: string }> {
  if (system === 'parley') return ctx.startParley();
  return { server: ctx.baseline.server, url: ctx.baseline.b2 };
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

/** Waits (90 s at most) until the server has used under a tenth of a core for a whole second. */
async function settle(server: SystemChild): Promise<void> {
  for (let second = 0; second < 90; second++) {
    await server.rpc.begin();
    await sleep(1000);
    if ((await server.rpc.read()).cpuShare < 0.1) return;
  }
}
