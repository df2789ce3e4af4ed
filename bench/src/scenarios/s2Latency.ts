import { sleep } from '../common.js';
import { log, logTraffic, pairsOf, trafficArgs, type BenchContext } from '../context.js';
import { SETUP_RATE } from '../params.js';
import type { ParleyPairs } from './parleyPairs.js';

/** S2: one-to-one send -> receive latency at fixed offered rates, on Parley. */
export async function runS2Parley(ctx: BenchContext, pairs: ParleyPairs): Promise<void> {
  const { P, results } = ctx;
  for (const rate of P.s2.rates) {
    log(`S2 parley ${P.s2.pairs} pairs at ${rate} msg/s`);
    const step = await pairs.step(rate, P.s2);
    results.s2.push({ system: 'parley', pairs: P.s2.pairs, ...step });
    logTraffic(step);
    if (step.deliveredRate < 0.5 * rate) {
      const skipped = P.s2.rates.filter((r) => r > rate);
      if (skipped.length) results.notes.push(`S2: Parley delivered under half of ${rate} msg/s, so ${skipped.join(', ')} msg/s were not offered to it`);
      break;
    }
  }
}

/** S2 on the baselines: the same rates through the B2 (Socket.IO) and B1 (ws) relays. */
export async function runS2Baselines(ctx: BenchContext): Promise<void> {
  const { P, results, loadgen } = ctx;
  const base = ctx.baseline;
  for (const [system, kind, burl] of [
    ['b2', 'b2', base.b2],
    ['b1', 'b1', base.b1],
  ] as const) {
    await loadgen.rpc.connect(
      { group: 'pairs', kind, url: burl, users: ctx.users.slice(0, 2 * P.s2.pairs), rate: SETUP_RATE, timeoutMs: 30_000, capMs: 30_000 },
      300_000,
    );
    for (const rate of P.s2.rates) {
      log(`S2 ${system} ${P.s2.pairs} pairs at ${rate} msg/s`);
      const step = await ctx.metered(base.server, () => loadgen.rpc.traffic(trafficArgs('pairs', pairsOf(P.s2.pairs), rate, P.s2), 300_000));
      results.s2.push({ system, pairs: P.s2.pairs, ...step });
      logTraffic(step);
    }
    await base.server.rpc.reset();
    await loadgen.rpc.close({ group: 'pairs' });
    await sleep(300);
  }
}
