/** `pnpm bench [--quick] [--only=S1,S2,S3,S4,S6,S7,B3,S8]`: what this run measures, and how much of it. */
const argv = process.argv.slice(2);
export const QUICK = argv.includes('--quick');
const ONLY = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
export const want = (name: string) => !ONLY || ONLY.includes(name);
/** Named in --only: for scenarios too heavy for every quick run (S8 starts four servers). */
export const asked = (name: string) => ONLY?.includes(name) ?? false;

export const P = QUICK
  ? {
      s1: { sizes: [200], rate: 400, capMs: 15_000 },
      s2: { pairs: 25, rates: [50, 200], warmupS: 0.5, measureS: 2, drainS: 2 },
      s3: { pairs: 25, rates: [25, 50, 100, 200, 400], warmupS: 0.5, measureS: 2, drainS: 2 },
      s4: { levels: [100, 250], probes: 2, rate: 500 },
      b3: { concurrencies: [1, 8], batches: [100], scanSizes: [0, 1000], seconds: 1 },
      s6: { users: 200, sizes: [0, 2_000, 10_000], samples: 10, capS: 3, widePartners: 300 },
      s7: { floodRate: 250, floodS: 1, quietS: 2, bystanderRate: 10, settleCapS: 3 },
      s8: { pairs: 25, nodes: 3, rates: [50, 200, 400], warmupS: 0.5, measureS: 2, drainS: 2 },
      watchdogMs: 300_000,
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
      // S6: history page and first conversation page at each database size (messages over 200 users).
      s6: { users: 200, sizes: [0, 10_000, 50_000], samples: 40, capS: 20, widePartners: 300 },
      // S7: one user floods each event for floodS while a bystander sends at bystanderRate.
      s7: { floodRate: 1000, floodS: 2, quietS: 5, bystanderRate: 10, settleCapS: 20 },
      // S8: S2's pairs and S3's ramp through 1 node, 1 node + Redis adapter, and N nodes behind HAProxy.
      s8: { pairs: 100, nodes: 3, rates: [50, 250, 500, 1000, 1500, 2000], warmupS: 2, measureS: 8, drainS: 5 },
      watchdogMs: 40 * 60_000,
    };
export type Params = typeof P;
export type TrafficParams = Params['s2'];

export const CONTENT_LENGTH = 100;
/** Sockets per second when connecting the sockets a scenario needs before it measures. */
export const SETUP_RATE = 500;
