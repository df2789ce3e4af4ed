import type { BenchContext } from '../context.js';
import type { SystemChild } from '../procs.js';

/**
 * S5: memory per idle socket. Read after a full GC at every level S4 ramps to (and at zero), so the
 * slope of RSS over sockets is the cost of one idle connection.
 */
export async function recordIdleMemory(
  ctx: BenchContext,
  system: 'parley' | 'b2',
  server: SystemChild,
  sockets: number,
  extra: { rampS?: number } = {},
): Promise<number> {
  const mem = await server.rpc.gc();
  ctx.results.s5.push({ system, sockets, rssMB: mem.rssMB, heapMB: mem.heapMB, ...extra });
  return mem.rssMB;
}
