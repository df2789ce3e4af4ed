import type { ProcessMetrics } from './common.js';

/** One result row as the scenarios push it (their own shapes, read by name here). */
export type Row = Record<string, any>;

export const f = (x: unknown, digits = 1) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '–');
export const ratio = (a: unknown, b: unknown) =>
  typeof a === 'number' && typeof b === 'number' && Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(1)}×` : '–';
export const srv = (m: ProcessMetrics | undefined) =>
  m ? `${f(m.cpuS, 2)} s (${f(m.cpuShare * 100, 0)}%) / ${f(m.eldP99ms, 1)} ms / ${f(m.rssMB, 0)} MB` : '–';

export function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
