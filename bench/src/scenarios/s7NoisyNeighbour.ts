import { Types } from 'mongoose';
import { now, round } from '../common.js';
import { log, type BenchContext, type User } from '../context.js';
import { FLOOD_EVENTS, type FloodResult, type TrafficResult } from '../ipc.js';
import { CONTENT_LENGTH, SETUP_RATE } from '../params.js';
import { settle, startChild, type Child } from '../procs.js';
import { clearConversations, COLLECTIONS, seedMessages } from '../seedConversations.js';

const RECEIVED = 100;
const OWN = 200;
/** Bystander, its peer, flooder, flood target, and the 200 users presence_subscribe names. */
export const S7_USERS = 204;

/**
 * S7 noisy neighbour (issue 10): one user floods each client -> server event for `floodS` while a
 * bystander sends to a third user at `bystanderRate`. The bystander's send -> ack latency during each
 * flood is compared with a quiet window on the same server; nothing acked may be missing from the
 * database. The server runs with the product's default budgets (BENCH_LIMITS=default), so refusals
 * (RATE_LIMITED) are counted. The flooder lives in a load generator of its own: its emitting must not
 * delay the bystander's clock. A flood that leaves the server busy past `settleCapS` gets a fresh
 * server for the next one, so no queued work leaks from one flood into the next.
 */
export async function runS7(ctx: BenchContext): Promise<void> {
  const { P, results, loadgen } = ctx;
  const [bystander, peer, flooder, target] = ctx.users.slice(0, 4) as [User, User, User, User];
  const watched = ctx.users.slice(4, S7_USERS).map((user) => user.id);
  await clearConversations(ctx.conn);
  // The flooder has messages to acknowledge and read (unread, undelivered) and its own to edit and delete.
  const ids = await seedMessages(ctx.conn, [
    ...Array.from({ length: RECEIVED }, () => ({ sender: target.id, receiver: flooder.id, read: false })),
    ...Array.from({ length: OWN }, () => ({ sender: flooder.id, receiver: target.id })),
  ]);
  const idsFor = { message_delivered: ids.slice(0, RECEIVED), presence_subscribe: watched, edit_message: ids.slice(RECEIVED), delete_message: ids.slice(RECEIVED) };
  const messages = ctx.conn.collection(COLLECTIONS.messages);
  const storedFrom = (user: User) => messages.countDocuments({ sender: new Types.ObjectId(user.id) });

  const flooders: Child<'loadgen'> = await startChild('loadgen', {});
  let sys: Awaited<ReturnType<BenchContext['startParley']>> | undefined;
  let bystanderAcked = 0;
  const start = async () => {
    if (sys) await ctx.finish(sys.server, 's7');
    await flooders.rpc.close({ group: 'flood' });
    sys = await ctx.startParley({ BENCH_LIMITS: 'default' });
    const connect = (child: Child<'loadgen'>, group: string, users: User[]) =>
      child.rpc.connect({ group, kind: 'parley', url: sys!.url, users, rate: SETUP_RATE, timeoutMs: 30_000, capMs: 30_000 }, 120_000);
    await Promise.all([connect(loadgen, 's7', [bystander, peer]), connect(flooders, 'flood', [flooder])]);
    return sys;
  };
  try {
    let { server } = await start();
    for (const phase of ['quiet', ...FLOOD_EVENTS] as const) {
      const floodsBefore = phase === 'send_message' ? await storedFrom(flooder) : 0;
      const measureS = phase === 'quiet' ? P.s7.quietS : P.s7.floodS + 1;
      const startAt = now() + 20 + 500; // the bystander's warm-up ends as the flood starts
      log(`S7 ${phase === 'quiet' ? `quiet, bystander alone for ${measureS} s` : `flood of ${phase} at ${P.s7.floodRate}/s for ${P.s7.floodS} s`}`);
      const step = await ctx.metered(server, async () => {
        const [traffic, flood] = await Promise.all([
          loadgen.rpc.traffic(
            { group: 's7', pairs: [[0, 1]], rate: P.s7.bystanderRate, warmupS: 0.5, measureS, drainS: P.s7.settleCapS, contentLength: CONTENT_LENGTH, oneWay: true },
            300_000,
          ),
          phase === 'quiet'
            ? Promise.resolve(undefined)
            : flooders.rpc.flood(
                { group: 'flood', event: phase, rate: P.s7.floodRate, seconds: P.s7.floodS, startAt, targetId: target.id, ids: idsFor[phase as keyof typeof idsFor] ?? [], contentLength: CONTENT_LENGTH, settleCapS: P.s7.settleCapS },
                300_000,
              ),
        ]);
        return { ...traffic, flood };
      });
      bystanderAcked += step.acked;
      // Flooded sends the server acked must all be stored (the bystander's are checked at the end).
      const floodLost = phase === 'send_message' && step.flood ? Math.max(0, step.flood.ok - ((await storedFrom(flooder)) - floodsBefore)) : 0;
      const settled = await settle(server, P.s7.settleCapS);
      results.s7.push({ phase, ...bystanderFigures(step), flood: step.flood, floodLost, settled, server: step.server, db: step.db, machine: step.machine });
      const restart = !settled || (step.flood?.unanswered ?? 0) > 0;
      log(`  bystander ack p50 ${step.ack.p50} p95 ${step.ack.p95} ms, nacks ${step.nacks}, lost/late ${step.lostOrLate}${floodLine(step.flood)}${restart ? ' | server still busy: restarted' : ''}`);
      if (restart) server = (await start()).server;
    }
    const stored = await storedFrom(bystander);
    results.s7.push({ phase: 'stored', bystanderAcked, bystanderStored: stored, lost: Math.max(0, bystanderAcked - stored) });
    log(`S7 bystander: ${bystanderAcked} acked, ${stored} stored`);
  } finally {
    if (sys) await ctx.finish(sys.server, 's7');
    await flooders.stop();
  }
}

function bystanderFigures(step: TrafficResult) {
  return { ack: step.ack, deliver: step.deliver, acked: step.acked, nacks: step.nacks, nackCodes: step.nackCodes, lostOrLate: step.lostOrLate, measuredOffered: step.measuredOffered };
}

function floodLine(flood: FloodResult | undefined): string {
  if (!flood) return '';
  const answers = flood.acked ? `${flood.ok} ok, ${flood.rateLimited} RATE_LIMITED, ${flood.unanswered} unanswered` : 'no ack';
  return ` | flood ${flood.sent} sent: ${answers}, took ${round(flood.tookS, 1)} s`;
}
