import type { LatencySummary } from './common.js';
import { f, ratio, srv, table, type Row } from './reportFormat.js';
import { renderGoals, renderS4Redis, renderS6, renderS7 } from './reportIssue10.js';
import { renderIssue12Goals } from './reportIssue12.js';

export interface BenchResults {
  startedAt: string;
  durationS?: number;
  mode: 'quick' | 'full';
  complete: boolean;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string; database: string; loadAverage?: number[] };
  params: unknown;
  s1: Row[];
  s2: Row[];
  s3: { steps: Row[]; maxSustained: { offered: number; delivered: number; ackP99: number; deliverP99: number } | null };
  s4: Row[];
  s5: Row[];
  /** S6: history page and first conversation page, per database size and read. */
  s6: Row[];
  /** S7: the bystander quiet and during each flood; last, the stored-vs-acked check. */
  s7: Row[];
  b3: Row[];
  /** S8: S2/S3 through one node, one node + Redis adapter, and N nodes behind HAProxy. */
  s8: Row[];
  notes: string[];
}

/** Linear least squares slope of y over x. */
export function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return den === 0 ? NaN : num / den;
}

export function s5Slopes(r: BenchResults): Record<string, number> {
  const out: Record<string, number> = {};
  for (const system of ['parley', 'b2']) {
    const pts = r.s5.filter((row) => row.system === system && row.sockets > 0).map((row) => ({ x: row.sockets, y: row.rssMB * 1024 }));
    out[system] = slope(pts);
  }
  return out;
}

export function renderMarkdown(r: BenchResults): string {
  const m = r.machine;
  const out: string[] = [];
  out.push(`# Parley bench (${r.mode}) ${r.startedAt}${r.complete ? '' : ' — INCOMPLETE'}`);
  out.push('');
  out.push(
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}, database ${m.database}. Run took ${f(r.durationS, 0)} s. Load average at start: ${(m.loadAverage ?? []).join(', ')}.`,
  );
  out.push('Server column: CPU seconds (share of one core) / event-loop delay p99 / RSS, over the measured interval. "others": cores kept busy by processes outside the bench during the step (noise).');
  out.push('');

  if (r.s1.length) {
    out.push('## S1 connect storm (authenticated sockets at a fixed arrival rate)');
    out.push('');
    const rows = r.s1.map((row) => {
      const base = r.s1.find((b) => b.system === 'b2' && b.n === row.n);
      const l = row.latency as LatencySummary;
      return [
        row.system,
        String(row.n),
        `${row.rate}/s`,
        String(row.connectedInGroup),
        String(row.failures),
        f(l.p50),
        f(l.p99),
        f(row.totalS, 1),
        `${f(row.idleRssMB, 0)} → ${f(row.server?.rssMB, 0)}`,
        srv(row.server),
        f(row.loadgen?.cpuShare, 2),
        f(row.machine?.othersCores, 2),
        row.system === 'parley' ? ratio(l.p99, base?.latency?.p99) : '',
      ];
    });
    out.push(
      table(['system', 'N', 'arrivals', 'connected', 'failures', 'p50 ms', 'p99 ms', 'took s', 'server RSS MB', 'server cpu / eld p99 / rss', 'loadgen cpu', 'others', 'p99 Parley/B2'], rows),
    );
    out.push('');
    for (const row of r.s1.filter((x) => Array.isArray(x.p99BySecond) && x.p99BySecond.length > 1)) {
      out.push(`- ${row.system} N=${row.n}, connect p99 by second of the storm (ms): ${(row.p99BySecond as number[]).map((ms) => f(ms, 0)).join(', ')}`);
    }
    out.push('');
  }

  if (r.s2.length) {
    out.push('## S2 one-to-one latency (open loop; from intended send time)');
    out.push('');
    const rows = r.s2.map((row) => {
      const b2 = r.s2.find((b) => b.system === 'b2' && b.offeredRate === row.offeredRate);
      const b1 = r.s2.find((b) => b.system === 'b1' && b.offeredRate === row.offeredRate);
      const d = row.deliver as LatencySummary;
      const a = row.ack as LatencySummary;
      return [
        row.system,
        String(row.offeredRate),
        f(row.deliveredRate, 0),
        `${f(d.p50, 2)} / ${f(d.p99, 2)} / ${f(d.p999, 2)}`,
        `${f(a.p50, 2)} / ${f(a.p99, 2)} / ${f(a.p999, 2)}`,
        String(row.lostOrLate),
        srv(row.server),
        f(row.db?.cpuShare, 2),
        f(row.loadgen?.cpuShare, 2),
        f(row.machine?.othersCores, 2),
        row.system === 'parley' ? `${ratio(d.p99, b2?.deliver?.p99)} / ${ratio(d.p99, b1?.deliver?.p99)}` : '',
      ];
    });
    out.push(
      table(
        ['system', 'offered msg/s', 'delivered msg/s', 'deliver p50/p99/p99.9 ms', 'ack p50/p99/p99.9 ms', 'lost/late', 'server cpu / eld p99 / rss', 'db cpu', 'loadgen cpu', 'others', 'deliver p99 Parley/B2 / Parley/B1'],
        rows,
      ),
    );
    out.push('');
  }

  if (r.s3.steps.length) {
    out.push('## S3 sustained persisted messages per second (p99 ≤ 50 ms and delivered ≥ 95% of offered)');
    out.push('');
    const rows = r.s3.steps.map((row) => [
      String(row.offeredRate),
      f(row.deliveredRate, 0),
      f(row.ackedRate, 0),
      f(row.ack?.p99, 2),
      f(row.deliver?.p99, 2),
      String(row.lostOrLate),
      String(row.nacks),
      srv(row.server),
      f(row.db?.cpuShare, 2),
      f(row.loadgen?.cpuShare, 2),
      f(row.machine?.othersCores, 2),
      String(row.messagesAtEnd ?? '–'),
      row.pass ? 'pass' : '**fail**',
    ]);
    out.push(table(['offered msg/s', 'delivered msg/s', 'acked msg/s', 'ack p99 ms', 'deliver p99 ms', 'lost/late', 'nacks', 'server cpu / eld p99 / rss', 'db cpu', 'loadgen cpu', 'others', 'docs at end', 'verdict'], rows));
    out.push('');
    const best = r.s3.maxSustained;
    const b3best = Math.max(0, ...r.b3.filter((b) => b.docsPerOp === 1 && String(b.op).startsWith('insertOne')).map((b) => b.docsPerS as number));
    out.push(
      best
        ? `Max sustained: **${best.offered} msg/s** offered (${best.delivered} delivered/s, ack p99 ${best.ackP99} ms). ` +
            `Parley / B3 best insertOne: ${ratio(best.delivered, b3best)} of ${f(b3best, 0)} docs/s.`
        : 'Max sustained: none of the offered loads passed.',
    );
    out.push('');
  }

  if (r.s4.length) {
    out.push('## S4 presence fan-out (one user comes online, then leaves)');
    out.push('');
    const rows = r.s4.map((row) => {
      // Parley is compared with B2; Parley with Redis with Parley alone.
      const base = r.s4.find((b) => b.system === (row.system === 'parley+redis' ? 'parley' : 'b2') && b.online === row.online);
      return [
        row.system,
        String(row.online),
        row.complete ? 'yes' : '**no**',
        f(row.onlineConnectMs, 1),
        f(row.onlineLastMs, 1),
        f(row.offlineLastMs, 1),
        f(row.cpuMsPerChange, 2),
        f(row.redisCpuMsPerChange, 2),
        f(row.loadgenCpuMsPerChange, 2),
        f(row.server?.eldP99ms, 1),
        f(row.machine?.othersCores, 2),
        row.system === 'b2' ? '' : `${ratio(row.onlineLastMs, base?.onlineLastMs)} / ${ratio(row.cpuMsPerChange, base?.cpuMsPerChange)}`,
      ];
    });
    out.push(
      table(
        ['system', 'online users', 'all heard', 'prober connect ms', 'last user_online ms', 'last user_offline ms', 'server cpu ms/change', 'redis cpu ms/change', 'loadgen cpu ms/change', 'server eld p99 ms', 'others', 'vs B2 (Parley+Redis: vs Parley) time / cpu'],
        rows,
      ),
    );
    out.push('');
    out.push(...renderS4Redis(r.s4));
  }

  if (r.s5.length) {
    out.push('## S5 memory per idle connected socket (server RSS after GC)');
    out.push('');
    const systems = [...new Set(r.s5.map((row) => row.system as string))];
    const levels = [...new Set(r.s5.map((row) => row.sockets as number))].sort((a, b) => a - b);
    out.push(
      table(
        ['system', ...levels.map((l) => `${l} sockets`)],
        systems.map((s) => [s, ...levels.map((l) => f(r.s5.find((row) => row.system === s && row.sockets === l)?.rssMB, 0) + ' MB')]),
      ),
    );
    const sl = s5Slopes(r);
    out.push('');
    out.push(`Slope: Parley ${f(sl.parley, 1)} KiB per socket, B2 ${f(sl.b2, 1)} KiB per socket; Parley / B2 ${ratio(sl.parley, sl.b2)}.`);
    out.push('');
  }

  if (r.s6.length) out.push(...renderS6(r.s6));
  if (r.s7.length) out.push(...renderS7(r.s7));

  if (r.b3.length) {
    out.push('## B3 the database alone (the driver on the raw messages collection, with its indexes)');
    out.push('');
    const rows = r.b3.map((row) => [
      row.op,
      String(row.concurrency),
      String(row.docsPerOp),
      f(row.opsPerS, 0),
      f(row.docsPerS, 0),
      `${f(row.latency?.p50, 2)} / ${f(row.latency?.p99, 2)}`,
      String(row.errors),
      f(row.client?.cpuShare, 2),
      f(row.db?.cpuShare, 2),
      String(row.docsAfter ?? '–'),
    ]);
    out.push(table(['operation', 'concurrency', 'docs/op', 'ops/s', 'docs/s', 'op p50/p99 ms', 'errors', 'client cpu', 'db cpu', 'docs after'], rows));
    out.push('');
  }

  if (r.s8?.length) out.push(...renderS8(r.s8));
  out.push(...renderGoals(r));
  out.push(...renderIssue12Goals(r));

  if (r.notes.length) {
    out.push('## Notes');
    out.push('');
    for (const note of r.notes) out.push(`- ${note}`);
    out.push('');
  }
  return out.join('\n');
}

/** S8: each set-up's steps, then its best passing rate and the ratios to one node. */
function renderS8(rows: Row[]): string[] {
  const out = ['## S8 one node vs several (S2 pairs, S3 ramp; p99 ≤ 50 ms and delivered ≥ 95% of offered)', ''];
  out.push(
    table(
      ['set-up', 'offered msg/s', 'delivered msg/s', 'ack p50/p99 ms', 'deliver p50/p99 ms', 'lost/late', 'nodes cpu', 'redis cpu', 'haproxy cpu', 'db cpu', 'loadgen cpu', 'others', 'verdict'],
      rows.map((row) => [
        `${row.setup}`,
        String(row.offeredRate),
        f(row.deliveredRate, 0),
        `${f(row.ack?.p50, 2)} / ${f(row.ack?.p99, 2)}`,
        `${f(row.deliver?.p50, 2)} / ${f(row.deliver?.p99, 2)}`,
        String(row.lostOrLate),
        f(row.nodesCpuShare, 2),
        f(row.redisCpuShare, 2),
        f(row.haproxyCpuShare, 2),
        f(row.db?.cpuShare, 2),
        f(row.loadgen?.cpuShare, 2),
        f(row.machine?.othersCores, 2),
        row.pass ? 'pass' : '**fail**',
      ]),
    ),
  );
  out.push('');
  const setups = [...new Set(rows.map((row) => row.setup as string))];
  const best = (setup: string) => rows.filter((row) => row.setup === setup && row.pass).at(-1);
  const single = best('one node');
  for (const setup of setups) {
    const top = best(setup);
    out.push(
      `- ${setup}: max sustained ${top ? `**${top.offeredRate} msg/s**` : 'none'}` +
        (single && top ? ` (${ratio(top.offeredRate, single.offeredRate)} of one node)` : ''),
    );
  }
  // CPU per delivered message at each rate every set-up ran: what the adapter and the proxy cost.
  const cpuPerK = (row: Row | undefined) =>
    row ? (1000 * (row.nodesCpuShare + (row.redisCpuShare ?? 0) + (row.haproxyCpuShare ?? 0))) / row.deliveredRate : NaN;
  const rates = [...new Set(rows.map((row) => row.offeredRate as number))].sort((a, b) => a - b);
  out.push('');
  out.push(
    table(
      ['offered msg/s', ...setups.map((setup) => `${setup}: core-ms per message`), ...setups.slice(1).map((setup) => `${setup} / one node`)],
      rates.map((rate) => {
        const at = setups.map((setup) => cpuPerK(rows.find((row) => row.setup === setup && row.offeredRate === rate)));
        return [String(rate), ...at.map((value) => f(value, 2)), ...at.slice(1).map((value) => ratio(value, at[0]))];
      }),
    ),
  );
  out.push('');
  return out;
}

/** Latency percentiles against offered load: Parley vs B2 vs B1 (S2 and S3 steps), log scale. */
export function renderSvg(r: BenchResults): string {
  const W = 760;
  const H = 440;
  const L = 70;
  const R = 200;
  const T = 40;
  const B = 50;
  type Series = { name: string; color: string; dash?: string; points: { x: number; y: number }[] };
  const pick = (rows: Row[], key: 'deliver' | 'ack', pct: 'p50' | 'p99') =>
    rows
      .map((row) => ({ x: row.offeredRate as number, y: row[key]?.[pct] as number }))
      .filter((p) => Number.isFinite(p.y) && p.y > 0)
      .sort((a, b) => a.x - b.x);
  const parleyRows = [...r.s2.filter((row) => row.system === 'parley'), ...r.s3.steps];
  const dedup = (rows: Row[]) => {
    const byRate = new Map<number, Row>();
    for (const row of rows) if (!byRate.has(row.offeredRate)) byRate.set(row.offeredRate, row);
    return [...byRate.values()];
  };
  const series: Series[] = [
    { name: 'Parley deliver p99', color: '#d62728', points: pick(dedup(parleyRows), 'deliver', 'p99') },
    { name: 'Parley deliver p50', color: '#d62728', dash: '5,4', points: pick(dedup(parleyRows), 'deliver', 'p50') },
    { name: 'B2 Socket.IO p99', color: '#1f77b4', points: pick(r.s2.filter((row) => row.system === 'b2'), 'deliver', 'p99') },
    { name: 'B2 Socket.IO p50', color: '#1f77b4', dash: '5,4', points: pick(r.s2.filter((row) => row.system === 'b2'), 'deliver', 'p50') },
    { name: 'B1 ws p99', color: '#2ca02c', points: pick(r.s2.filter((row) => row.system === 'b1'), 'deliver', 'p99') },
    { name: 'B1 ws p50', color: '#2ca02c', dash: '5,4', points: pick(r.s2.filter((row) => row.system === 'b1'), 'deliver', 'p50') },
  ];
  const all = series.flatMap((s) => s.points);
  const xMax = Math.max(100, ...all.map((p) => p.x));
  const yMin = 10 ** Math.floor(Math.log10(Math.max(0.01, Math.min(1, ...all.map((p) => p.y)))));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(10, ...all.map((p) => p.y))));
  const px = (x: number) => L + (x / xMax) * (W - L - R);
  const py = (y: number) => T + (1 - (Math.log10(y) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * (H - T - B);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  parts.push(`<text x="${L}" y="22" font-size="14" font-weight="bold">send → receiver's new_message latency vs offered load (${r.mode}, ${r.startedAt.slice(0, 10)})</text>`);
  for (let e = Math.log10(yMin); e <= Math.log10(yMax); e++) {
    const y = py(10 ** e);
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
    parts.push(`<text x="${L - 8}" y="${y + 4}" text-anchor="end">${10 ** e} ms</text>`);
  }
  const step = xMax / 5;
  for (let i = 0; i <= 5; i++) {
    const x = px(i * step);
    parts.push(`<line x1="${x}" x2="${x}" y1="${T}" y2="${H - B}" stroke="#eee"/>`);
    parts.push(`<text x="${x}" y="${H - B + 16}" text-anchor="middle">${Math.round(i * step)}</text>`);
  }
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 12}" text-anchor="middle">offered load (messages/s)</text>`);
  parts.push(`<line x1="${px(0)}" x2="${W - R}" y1="${py(50)}" y2="${py(50)}" stroke="#999" stroke-dasharray="2,3"/>`);
  parts.push(`<text x="${W - R - 4}" y="${py(50) - 4}" text-anchor="end" fill="#666">50 ms (S3 bound)</text>`);
  series.forEach((s, i) => {
    if (s.points.length) {
      const d = s.points.map((p, j) => `${j ? 'L' : 'M'}${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ');
      parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
      for (const p of s.points) parts.push(`<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="3" fill="${s.color}"/>`);
    }
    const ly = T + 10 + i * 20;
    parts.push(`<line x1="${W - R + 15}" x2="${W - R + 45}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
    parts.push(`<text x="${W - R + 52}" y="${ly + 4}">${s.name}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
