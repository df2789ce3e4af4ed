import type { BenchResults } from './report.js';
import { f, ratio, type Row } from './reportFormat.js';

/** Issue 12's goals (presence v2), each a ratio of two figures of this run. */

const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : NaN);
const verdict = (met: boolean) => (met ? 'met' : '**not met**');

/** S4: CPU per presence change at the most online users over the fewest, for one system. */
function s4Flatness(rows: Row[], system: string): string | null {
  const levels = rows.filter((row) => row.system === system).sort((a, b) => a.online - b.online);
  const [low, high] = [levels[0], levels.at(-1)];
  if (!low || !high || low === high) return null;
  const allHeard = levels.every((row) => row.complete);
  const x = num(high.cpuMsPerChange) / num(low.cpuMsPerChange);
  return (
    `- S4 ${system}: CPU per presence change at ${high.online} / ${low.online} online: ${f(high.cpuMsPerChange, 2)} / ${f(low.cpuMsPerChange, 2)} ms = ` +
    `${ratio(high.cpuMsPerChange, low.cpuMsPerChange)} (goal: within 1.5×, every change heard by all): ${verdict(allHeard && x <= 1.5)}` +
    (allHeard ? '' : ' (a level was not heard by all)')
  );
}

export function renderIssue12Goals(r: BenchResults): string[] {
  const lines: string[] = [];
  for (const system of ['parley', 'parley+redis']) {
    const line = s4Flatness(r.s4, system);
    if (line) lines.push(line);
  }
  for (const parley of r.s1.filter((row) => row.system === 'parley')) {
    const b1 = r.s1.find((row) => row.system === 'b1' && row.n === parley.n);
    const all = parley.connectedInGroup === parley.attempted && !parley.failures;
    const x = num(parley.latency?.p99) / num(b1?.latency?.p99);
    lines.push(
      `- S1 ${parley.n} sockets at ${parley.rate}/s: ${parley.connectedInGroup} of ${parley.attempted} connected; connect p99 ${f(parley.latency?.p99, 1)} ms vs B1 ${f(b1?.latency?.p99, 1)} ms = ` +
        `${ratio(parley.latency?.p99, b1?.latency?.p99)} (goal: all connected, within 3×): ${verdict(all && x <= 3)}`,
    );
  }
  return lines.length ? ['## Issue 12 goals (ratios within this run)', '', ...lines, ''] : [];
}
