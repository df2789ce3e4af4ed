import type { BenchResults } from './report.js';
import { f, ratio, table, type Row } from './reportFormat.js';

/**
 * The report's sections for issue 10 (S6 read path, S7 noisy neighbour, the goals as ratios of the
 * same run) and issue 13's S4 with Redis.
 */

const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : NaN);
const verdict = (value: number, goal: (x: number) => boolean) => (Number.isFinite(value) ? (goal(value) ? 'met' : '**not met**') : 'not measured');

/** S4: CPU per presence change with Redis as a ratio to Parley alone, per level. */
export function renderS4Redis(rows: Row[]): string[] {
  const withRedis = rows.filter((row) => row.system === 'parley+redis');
  if (!withRedis.length) return [];
  const parts = withRedis.map((row) => {
    const alone = rows.find((b) => b.system === 'parley' && b.online === row.online);
    return `${row.online} online: ${f(row.cpuMsPerChange, 2)} ms (+ Redis ${f(row.redisCpuMsPerChange, 2)} ms) vs ${f(alone?.cpuMsPerChange, 2)} ms alone, ${ratio(row.cpuMsPerChange, alone?.cpuMsPerChange)}`;
  });
  return [`Server CPU per presence change with Redis (REDIS_URL: presence store and adapter in Redis) vs one process: ${parts.join('; ')}.`, ''];
}

/** S6: each size's p50/p95 per read, and its ratio to the empty database. */
export function renderS6(rows: Row[]): string[] {
  const out = ['## S6 read path (history page and first conversation page, by database size)', ''];
  const empty = (read: string) => rows.find((row) => row.read === read && row.messages === 0);
  out.push(
    table(
      ['messages', 'read', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'p50 / empty', 'p95 / empty', 'rows', 'refused', 'server cpu', 'db cpu', 'others', 'limit honoured'],
      rows.map((row) => [
        String(row.messages),
        row.read,
        String(row.latency?.count ?? 0),
        f(row.latency?.p50, 2),
        f(row.latency?.p95, 2),
        f(row.latency?.p99, 2),
        ratio(row.latency?.p50, empty(row.read)?.latency?.p50),
        ratio(row.latency?.p95, empty(row.read)?.latency?.p95),
        f(row.meanRows, 1),
        String(row.refused ?? 0),
        f(row.server?.cpuShare, 2),
        f(row.db?.cpuShare, 2),
        f(row.machine?.othersCores, 2),
        row.limitHonoured === null || row.limitHonoured === undefined ? '–' : row.limitHonoured ? 'yes' : '**no**',
      ]),
    ),
  );
  const first = rows[0];
  if (first) out.push('', `${first.users} users, ${first.conversations} conversations (skewed); 10 readers from light to heavy, each reading its busiest conversation; requests one at a time.`);
  out.push('');
  return out;
}

/** S7: the bystander's ack latency quiet and during each flood, what the flooder was answered, and losses. */
export function renderS7(rows: Row[]): string[] {
  const out = ['## S7 noisy neighbour (one user floods an event; a bystander sends at 10 msg/s)', ''];
  const phases = rows.filter((row) => row.phase !== 'stored');
  const quiet = phases.find((row) => row.phase === 'quiet');
  out.push(
    table(
      ['phase', 'flood sent', 'ok', 'RATE_LIMITED', 'other refusals', 'unanswered', 'flood took s', 'bystander n', 'ack p50 ms', 'ack p95 ms', 'p50 / quiet', 'p95 / quiet', 'nacks', 'lost/late', 'settled', 'server cpu', 'db cpu'],
      phases.map((row) => {
        const flood = row.flood;
        const answers = (x: unknown) => (flood ? (flood.acked ? String(x) : 'no ack') : '');
        const refusals = flood ? Object.entries(flood.refusals ?? {}).map(([code, n]) => `${code} ${n}`).join(', ') : '';
        return [
          row.phase,
          flood ? String(flood.sent) : '',
          answers(flood?.ok),
          answers(flood?.rateLimited),
          flood?.acked ? refusals || '0' : answers(''),
          answers(flood?.unanswered),
          flood ? f(flood.tookS, 1) : '',
          String(row.ack?.count ?? 0),
          f(row.ack?.p50, 2),
          f(row.ack?.p95, 2),
          row.phase === 'quiet' ? '' : ratio(row.ack?.p50, quiet?.ack?.p50),
          row.phase === 'quiet' ? '' : ratio(row.ack?.p95, quiet?.ack?.p95),
          String(row.nacks ?? 0),
          String(row.lostOrLate ?? 0) + (row.floodLost ? ` (flood: ${row.floodLost} acked, not stored)` : ''),
          row.settled ? 'yes' : '**no** (restarted)',
          f(row.server?.cpuShare, 2),
          f(row.db?.cpuShare, 2),
        ];
      }),
    ),
  );
  const stored = rows.find((row) => row.phase === 'stored');
  if (stored) {
    out.push('', `Bystander sends acked ${stored.bystanderAcked}, stored ${stored.bystanderStored}: ${stored.lost ? `**${stored.lost} acked but not stored**` : 'nothing acked was lost'}.`);
  }
  out.push('');
  return out;
}

/** CPU milliseconds per message of an S2 row (every message sent in the metered interval). */
function cpuMsPerMessage(row: Row | undefined, s2: { warmupS: number; measureS: number } | undefined): number {
  if (!row || !s2) return NaN;
  return (num(row.server?.cpuS) * 1000) / (row.offeredRate * (s2.warmupS + s2.measureS));
}

/** Issue 10's goals, each a ratio of two figures of this run. */
export function renderGoals(r: BenchResults): string[] {
  const lines: string[] = [];
  const b3 = r.b3.find((row) => row.op === 'insertMany' && row.docsPerOp === 100 && row.concurrency === 1);
  const s3 = r.s3.maxSustained?.delivered;
  if (r.s3.steps.length || b3) {
    const x = num(s3) / num(b3?.docsPerS);
    lines.push(`- S3 persisted msg/s / B3 insertMany(100) docs/s: ${f(s3, 0)} / ${f(b3?.docsPerS, 0)} = ${ratio(s3, b3?.docsPerS)} (goal ≥ 0.5×): ${verdict(x, (v) => v >= 0.5)}`);
  }
  // The highest S2 rate both ran at where Parley kept up: CPU per message there.
  const s2 = (r.params as { s2?: { warmupS: number; measureS: number } }).s2;
  const kept = r.s2.filter((row) => row.system === 'parley' && row.deliveredRate >= 0.95 * row.offeredRate);
  const pair = kept
    .map((row) => [row, r.s2.find((b) => b.system === 'b2' && b.offeredRate === row.offeredRate)] as const)
    .filter(([, b2]) => b2)
    .at(-1);
  if (pair) {
    const [parley, b2] = pair;
    const a = cpuMsPerMessage(parley, s2);
    const b = cpuMsPerMessage(b2, s2);
    lines.push(`- Server CPU per message, Parley / B2 at ${parley.offeredRate} msg/s (S2): ${f(a, 3)} / ${f(b, 3)} ms = ${ratio(a, b)} (goal ≤ 1.5×): ${verdict(a / b, (v) => v <= 1.5)}`);
  }
  for (const read of ['history', 'conversations']) {
    const rows = r.s6.filter((row) => row.read === read);
    const empty = rows.find((row) => row.messages === 0);
    const largest = rows.filter((row) => row.messages > 0).at(-1);
    if (empty && largest) {
      lines.push(
        `- S6 ${read} at ${largest.messages} messages / empty database: p50 ${ratio(largest.latency?.p50, empty.latency?.p50)}, p95 ${ratio(largest.latency?.p95, empty.latency?.p95)} (${f(largest.latency?.p95, 1)} ms vs ${f(empty.latency?.p95, 1)} ms; flat is 1×)`,
      );
    }
  }
  const wide = r.s6.find((row) => String(row.read).endsWith('partners'));
  if (wide) {
    const walk = wide.walk as { distinct: number; seen: number } | undefined;
    const walked = walk ? `walk: ${walk.distinct} distinct of ${walk.seen} rows for ${wide.conversations} conversations` : 'no walk';
    lines.push(
      `- S6 first conversation page, ${wide.conversations} partners (after warm-up): p50 ${f(wide.latency?.p50, 1)} ms, p95 ${f(wide.latency?.p95, 1)} ms (goal < 100 ms): ${verdict(num(wide.latency?.p95), (v) => v < 100)}; ${walked}`,
    );
  }
  const quiet = r.s7.find((row) => row.phase === 'quiet');
  const floods = r.s7.filter((row) => row.flood);
  if (quiet && floods.length) {
    const worst = floods.reduce((a, b) => (num(b.ack?.p95) > num(a.ack?.p95) ? b : a));
    const x = num(worst.ack?.p95) / num(quiet.ack?.p95);
    const stored = r.s7.find((row) => row.phase === 'stored');
    // A flood during which the bystander heard no ack, or had sends left unanswered, is worse than any ratio.
    const starved = floods.filter((row) => !row.ack?.count || row.lostOrLate > 0).map((row) => row.phase);
    const met = starved.length ? '**not met**' : verdict(x, (v) => v < 3);
    lines.push(
      `- S7 bystander ack p95, worst flood (${worst.phase}) / quiet: ${ratio(worst.ack?.p95, quiet.ack?.p95)} (goal < 3×): ${met}` +
        (starved.length ? ` (sends unanswered in the window during ${starved.join(', ')})` : '') +
        `; acked but not stored: ${stored?.lost ?? '–'}`,
    );
  }
  return lines.length ? ['## Issue 10 goals (ratios within this run)', '', ...lines, ''] : [];
}
