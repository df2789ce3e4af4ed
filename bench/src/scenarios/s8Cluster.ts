import { HaproxyProcess } from '../../../apps/server/src/cluster/haproxy.js';
import { RedisProcess } from '../../../apps/server/src/cluster/redisServer.js';
import { freePort } from '../../../apps/server/src/lib/freePort.js';
import { round } from '../common.js';
import { log, logTraffic, pairsOf, trafficArgs, type BenchContext } from '../context.js';
import type { TrafficResult } from '../ipc.js';
import type { Child } from '../procs.js';
import { procMeter } from '../procs.js';
import { SETUP_RATE } from '../params.js';
import { emptyConversations } from '../seedConversations.js';

type Setup = 'one node' | 'one node + Redis adapter' | 'nodes behind HAProxy';

/**
 * S8: S2's pairs and S3's rising rates, sent through three set-ups on the same machine:
 *   1. one node, no Redis (as S2/S3);
 *   2. one node with the Redis adapter: what the adapter costs a node (every emit is published
 *      to Redis and comes back on the node's own subscription);
 *   3. `P.s8.nodes` nodes behind HAProxy (deploy/haproxy.cfg), sharing Redis: pairs are spread
 *      by HAProxy, so most messages cross nodes.
 * Each rate is a step like S3's: pass when ack and delivery p99 <= 50 ms, delivered >= 95%.
 * CPU is summed over the set-up's nodes and shown for Redis and HAProxy apart.
 */
export async function runS8(ctx: BenchContext): Promise<void> {
  const { P, results, loadgen } = ctx;
  const users = ctx.users.slice(0, 2 * P.s8.pairs);
  const redis = new RedisProcess(await freePort());
  await redis.start();
  const redisMeter = procMeter(redis.pid);
  try {
    for (const setup of ['one node', 'one node + Redis adapter', 'nodes behind HAProxy'] as Setup[]) {
      const nodeCount = setup === 'nodes behind HAProxy' ? P.s8.nodes : 1;
      const env: Record<string, string> = setup === 'one node' ? {} : { BENCH_REDIS_URL: redis.url };
      const nodes = await Promise.all(Array.from({ length: nodeCount }, () => ctx.startParley(env)));
      let haproxy: HaproxyProcess | undefined;
      let url = nodes[0]!.url;
      if (setup === 'nodes behind HAProxy') {
        const local = nodes.map((node, index) => ({ name: `node${index + 1}`, port: Number(new URL(node.url).port) }));
        haproxy = new HaproxyProcess(await freePort(), local);
        await haproxy.start();
        url = haproxy.url;
      }
      const haproxyMeter = procMeter(haproxy?.pid);
      try {
        const connected = await loadgen.rpc.connect(
          { group: 's8', kind: 'parley', url, users, rate: SETUP_RATE, timeoutMs: 30_000, capMs: 30_000 },
          300_000,
        );
        if (connected.failures > 0) results.notes.push(`S8 ${setup}: ${connected.failures} sockets failed to connect`);
        for (const rate of P.s8.rates) {
          log(`S8 ${setup} (${nodeCount} node${nodeCount > 1 ? 's' : ''}), ${P.s8.pairs} pairs at ${rate} msg/s`);
          await emptyConversations(ctx.conn);
          const step = await measured(ctx, nodes.map((node) => node.server), [redisMeter, haproxyMeter], () =>
            loadgen.rpc.traffic(trafficArgs('s8', pairsOf(P.s8.pairs), rate, P.s8), 300_000),
          );
          const pass =
            step.ack.p99 <= 50 && step.deliver.p99 <= 50 && step.nacks === 0 && step.deliveredRate >= 0.95 * rate && step.lostOrLate === 0;
          results.s8.push({ setup, nodes: nodeCount, pairs: P.s8.pairs, pass, ...step });
          logTraffic(step);
          log(`  nodes cpu ${step.nodesCpuShare} redis cpu ${step.redisCpuShare ?? '–'} haproxy cpu ${step.haproxyCpuShare ?? '–'}`);
          // Every rate runs (the comparison is per rate), unless this set-up is far past its limit.
          if (step.deliveredRate < 0.5 * rate) break;
        }
      } finally {
        await Promise.all(nodes.map((node) => node.server.stop()));
        await loadgen.rpc.close({ group: 's8' });
        await haproxy?.stop();
      }
    }
  } finally {
    await redis.stop();
  }
}

type Meter = ReturnType<typeof procMeter>;

/** ctx.metered over the first node, with the other nodes, Redis and HAProxy read over the same interval. */
async function measured(ctx: BenchContext, servers: Child<'server'>[], [redisMeter, haproxyMeter]: [Meter, Meter], body: () => Promise<TrafficResult>) {
  const [first, ...others] = servers;
  const step = await ctx.metered(first!, async () => {
    await Promise.all(others.map((server) => server.rpc.begin()));
    redisMeter.begin();
    haproxyMeter.begin();
    const result = await body();
    const otherReads = await Promise.all(others.map((server) => server.rpc.read()));
    return { ...result, otherNodes: otherReads, redis: redisMeter.read(), haproxy: haproxyMeter.read() };
  });
  const nodesCpuShare = round(step.server.cpuShare + step.otherNodes.reduce((sum, node) => sum + node.cpuShare, 0), 2);
  return { ...step, nodesCpuShare, redisCpuShare: step.redis?.cpuShare, haproxyCpuShare: step.haproxy?.cpuShare };
}
