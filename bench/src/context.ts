import type { Connection } from 'mongoose';
import { now, round, type LatencySummary, type ProcessMetrics } from './common.js';
import type { ServerMetrics, TrafficResult } from './ipc.js';
import { CONTENT_LENGTH, type Params } from './params.js';
import type { Child, SystemChild, procMeter } from './procs.js';
import type { BenchResults } from './report.js';

export interface User {
  id: string;
  token: string;
}

/** A measured step: the scenario's own numbers plus every meter's reading over the same interval. */
export type Metered<T> = T & {
  server: ServerMetrics;
  loadgen: ProcessMetrics;
  db: ReturnType<ReturnType<typeof procMeter>['read']>;
  machine: { busyCores: number; loadAverage1m: number; othersCores: number };
};

/** What every scenario is handed by run.ts. */
export interface BenchContext {
  P: Params;
  results: BenchResults;
  conn: Connection;
  users: User[];
  loadgen: Child<'loadgen'>;
  /** B1 (ws) and B2 (Socket.IO) relays, one process for the whole run. */
  baseline: { server: Child<'baseline'>; b1: string; b2: string };
  /** A Parley server process; `env` adds to the bench's (S8: BENCH_REDIS_URL). */
  startParley(env?: Record<string, string>): Promise<{ server: Child<'server'>; url: string }>;
  /** Runs `body` between begin/read of every meter: server, load generator, database, machine. */
  metered<T extends object>(server: SystemChild, body: () => Promise<T>): Promise<Metered<T>>;
  /** Stops a Parley server, then closes the load generator's groups. */
  finish(server: SystemChild, ...groups: string[]): Promise<void>;
  dbMeter: ReturnType<typeof procMeter>;
}

const started = now();
export const startedAt = started;
export const log = (line: string) => console.error(`[bench ${((now() - started) / 1000).toFixed(1).padStart(6)}s] ${line}`);

export function trafficArgs(group: string, pairs: [number, number][], rate: number, p: { warmupS: number; measureS: number; drainS: number }) {
  return { group, pairs, rate, warmupS: p.warmupS, measureS: p.measureS, drainS: p.drainS, contentLength: CONTENT_LENGTH };
}

/** Pairs of neighbouring connections: (0, 1), (2, 3), ... */
export const pairsOf = (count: number) => Array.from({ length: count }, (_, i) => [2 * i, 2 * i + 1] as [number, number]);

export function fmtLat(l: LatencySummary | undefined): string {
  return l ? `p50 ${l.p50} ms p99 ${l.p99} ms p99.9 ${l.p999} ms (n=${l.count})` : 'n/a';
}

export function logTraffic(step: Metered<TrafficResult>): void {
  log(
    `  deliver ${fmtLat(step.deliver)} | ack p99 ${step.ack.p99} | delivered ${round(step.deliveredRate, 0)}/s, lost ${step.lostOrLate}, nacks ${step.nacks} | server cpu ${step.server.cpuShare} db cpu ${step.db?.cpuShare ?? '?'} loadgen cpu ${step.loadgen.cpuShare} sendLag p99 ${step.sendLag.p99}`,
  );
}
