import { pairsOf, trafficArgs, type BenchContext, type Metered } from '../context.js';
import type { Child } from '../procs.js';
import type { TrafficResult } from '../ipc.js';
import { SETUP_RATE, type TrafficParams } from '../params.js';
import { emptyConversations, messageCount } from '../seedConversations.js';

export type ParleyTrafficStep = Metered<TrafficResult> & { messagesAtEnd: number; saturated: boolean };

/**
 * The Parley server and connected pairs that S2 and then S3 share: each step runs on an empty
 * messages collection, and a step that saturated the server gets a fresh one next time.
 */
export function parleyPairs(ctx: BenchContext) {
  const { P, loadgen, results } = ctx;
  const pairUsers = ctx.users.slice(0, 2 * Math.max(P.s2.pairs, P.s3.pairs));
  let sys: { server: Child<'server'>; url: string } | undefined;
  let restart = true;

  return {
    async step(rate: number, p: TrafficParams): Promise<ParleyTrafficStep> {
      if (restart && sys) await ctx.finish(sys.server, 'pairs');
      if (restart || !sys) {
        sys = await ctx.startParley();
        const setup = await loadgen.rpc.connect(
          { group: 'pairs', kind: 'parley', url: sys.url, users: pairUsers, rate: SETUP_RATE, timeoutMs: 30_000, capMs: 30_000 },
          300_000,
        );
        if (setup.failures > 0) results.notes.push(`Parley pairs setup: ${setup.failures} sockets failed to connect`);
      }
      await emptyConversations(ctx.conn);
      const step = await ctx.metered(sys.server, () => loadgen.rpc.traffic(trafficArgs('pairs', pairsOf(p.pairs), rate, p), 300_000));
      // A saturated server still holds queued sends: the next step gets a fresh one.
      restart = step.lostOrLate > 0 || step.nacks > 0 || step.deliveredRate < 0.95 * rate;
      return { ...step, messagesAtEnd: await messageCount(ctx.conn), saturated: restart };
    },
    async close(): Promise<void> {
      if (sys) await ctx.finish(sys.server, 'pairs');
    },
  };
}
export type ParleyPairs = ReturnType<typeof parleyPairs>;
