import { round } from '../common.js';
import { log, logTraffic, type BenchContext } from '../context.js';
import type { ParleyPairs } from './parleyPairs.js';

/** S3: rising offered rates until a step misses p99 <= 50 ms (ack and delivery) or loses anything. */
export async function runS3(ctx: BenchContext, pairs: ParleyPairs): Promise<void> {
  const { P, results } = ctx;
  for (const rate of P.s3.rates) {
    log(`S3 parley ${P.s3.pairs} pairs at ${rate} msg/s`);
    const step = await pairs.step(rate, P.s3);
    const pass = step.ack.p99 <= 50 && step.deliver.p99 <= 50 && step.nacks === 0 && step.deliveredRate >= 0.95 * rate && step.lostOrLate === 0;
    results.s3.steps.push({ system: 'parley', pairs: P.s3.pairs, pass, ...step });
    logTraffic(step);
    if (!pass) break;
    results.s3.maxSustained = { offered: rate, delivered: round(step.deliveredRate, 1), ackP99: step.ack.p99, deliverP99: step.deliver.p99 };
  }
}
