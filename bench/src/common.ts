import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import * as hdr from 'hdr-histogram-js';

/**
 * One clock for every process of the bench: epoch milliseconds with sub-millisecond resolution.
 * All latencies that cross a process boundary are computed on this clock; the ones that matter
 * (send -> receive) are taken inside one load-generator process, so no skew applies to them.
 */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Latency histogram in microseconds, 1 us .. 10 min, 3 significant digits. */
export function newHistogram(): hdr.Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

/** Summary in milliseconds. */
export function summarize(h: hdr.Histogram): LatencySummary {
  const ms = (us: number) => Math.round(us) / 1000;
  if (h.totalCount === 0) return { count: 0, p50: NaN, p90: NaN, p95: NaN, p99: NaN, p999: NaN, max: NaN, mean: NaN };
  return {
    count: h.totalCount,
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p95: ms(h.getValueAtPercentile(95)),
    p99: ms(h.getValueAtPercentile(99)),
    p999: ms(h.getValueAtPercentile(99.9)),
    max: ms(h.maxValue),
    mean: ms(h.mean),
  };
}

export function recordMs(h: hdr.Histogram, ms: number): void {
  h.recordValue(Math.max(1, Math.round(ms * 1000)));
}

/** What a process says about itself over a measured interval. */
export interface ProcessMetrics {
  wallS: number;
  cpuS: number;
  /** cpuS / wallS: 1.0 is one core fully busy. */
  cpuShare: number;
  rssMB: number;
  heapMB: number;
  eldP50ms: number;
  eldP99ms: number;
  eldMaxMs: number;
}

/** Self-measurement: CPU seconds, event-loop delay and RSS since the last `begin()`. */
export function selfMeter() {
  const eld = monitorEventLoopDelay({ resolution: 10 });
  eld.enable();
  let t0 = now();
  let cpu0 = process.cpuUsage();
  return {
    begin() {
      t0 = now();
      cpu0 = process.cpuUsage();
      eld.reset();
    },
    read(): ProcessMetrics {
      const cpu = process.cpuUsage(cpu0);
      const wallS = (now() - t0) / 1000;
      const cpuS = (cpu.user + cpu.system) / 1e6;
      const mem = process.memoryUsage();
      const pct = (p: number) => (eld.count > 0 ? Math.round(eld.percentile(p) / 1e4) / 100 : NaN);
      return {
        wallS: round(wallS, 2),
        cpuS: round(cpuS, 2),
        cpuShare: round(cpuS / Math.max(wallS, 1e-9), 2),
        rssMB: round(mem.rss / 2 ** 20, 1),
        heapMB: round(mem.heapUsed / 2 ** 20, 1),
        eldP50ms: pct(50),
        eldP99ms: pct(99),
        eldMaxMs: eld.count > 0 ? Math.round(eld.max / 1e4) / 100 : NaN,
      };
    },
  };
}

/** Three full collections (needs --expose-gc), then a reading: memory per idle socket. */
export async function collectGarbage(meter: ReturnType<typeof selfMeter>): Promise<ProcessMetrics> {
  for (let i = 0; i < 3; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return meter.read();
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
