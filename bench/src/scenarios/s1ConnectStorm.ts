import { sleep } from '../common.js';
import { fmtLat, log, type BenchContext } from '../context.js';
import { clearMessages, PARTNERS_PER_USER, ringPairs, seedConversations } from '../partners.js';

const B2_MAX_SOCKETS = 2000;

/** S1: N sockets connect at a fixed arrival rate; connect latency, failures and memory. Parley, then B2 and B1. */
export async function runS1(ctx: BenchContext): Promise<void> {
  const { P, loadgen, results } = ctx;
  for (const n of P.s1.sizes) {
    const connectArgs = { users: ctx.users.slice(0, n), rate: P.s1.rate, timeoutMs: P.s1.capMs, capMs: P.s1.capMs };
    // Each of the N users has 20 conversation partners among the others (a ring).
    await clearMessages(ctx.conn);
    await seedConversations(ctx.conn, ringPairs(ctx.users.slice(0, n)));
    log(`S1: ${n} users with ${PARTNERS_PER_USER} partners each`);
    {
      const { server, url } = await ctx.startParley();
      const idle = await server.rpc.read();
      log(`S1 parley N=${n} at ${P.s1.rate}/s`);
      const step = await ctx.metered(server, () => loadgen.rpc.connect({ ...connectArgs, group: 's1', kind: 'parley', url }, P.s1.capMs * 4 + 60_000));
      results.s1.push({ system: 'parley', n, rate: P.s1.rate, idleRssMB: idle.rssMB, ...step });
      log(`  ${fmtLat(step.latency)} failures ${String(step.failures)} rss ${step.server.rssMB} MB`);
      await ctx.finish(server, 's1');
    }
    const { server, b1, b2 } = ctx.baseline;
    const baselines = [
      ['b2', 'b2', b2, true],
      ['b1', 'b1', b1, false],
    ] as const;
    // B2 tells every presence change to everyone (what v1 did): above a few thousand sockets its
    // storm does not finish, and its process stops answering (docs/performance.md).
    for (const [system, kind, url, presence] of baselines.filter(([system]) => system !== 'b2' || n <= B2_MAX_SOCKETS)) {
      const idle = await server.rpc.read();
      log(`S1 ${system} N=${n}`);
      const step = await ctx.metered(server, () =>
        loadgen.rpc.connect({ ...connectArgs, group: 's1', kind, url, presence }, P.s1.capMs * 4 + 60_000),
      );
      results.s1.push({ system, n, rate: P.s1.rate, idleRssMB: idle.rssMB, ...step });
      log(`  ${fmtLat(step.latency)} failures ${String(step.failures)} rss ${step.server.rssMB} MB`);
      await server.rpc.reset();
      await loadgen.rpc.close({ group: 's1' });
      await sleep(500);
    }
  }
}
