import { ConversationsResponseSchema } from '@parley/protocol';
import { newHistogram, now, recordMs, round, sleep, summarize } from '../common.js';
import { fmtLat, log, type BenchContext, type User } from '../context.js';
import { CONTENT_LENGTH } from '../params.js';
import { clearConversations, seedMessages } from '../seedConversations.js';
import { pairWeights, prng, probeReaders, skewedMessages, skewedPairs } from '../socialGraph.js';

const READERS = 10;
const PAGE = 50;
/** Closed loop, one request at a time, at most this often: far under any per-user REST budget. */
const MIN_INTERVAL_MS = 50;

type Read = 'history' | 'conversations';
interface Reader {
  user: User;
  partner: User;
  partners: number;
}

/**
 * S6 read path (issue 10): a history page (GET /api/messages/:userId) and the first conversation
 * page (GET /api/conversations) at several database sizes, messages spread over a skewed graph of
 * `P.s6.users` users (socialGraph.ts). Each size is seeded from scratch and read by a new server;
 * readers span light to heavy users, each reading their busiest conversation. The report gives each
 * size's p50/p95 as a ratio to the empty database.
 */
export async function runS6(ctx: BenchContext): Promise<void> {
  const { P, results } = ctx;
  const users = ctx.users.slice(0, P.s6.users);
  const pairs = skewedPairs(users.length, prng(6));
  const weights = pairWeights(pairs.length);
  const readers: Reader[] = probeReaders(users.length, pairs, weights, READERS).map((r) => ({
    user: users[r.reader]!,
    partner: users[r.partner]!,
    partners: r.partners,
  }));
  const content = 'x'.repeat(CONTENT_LENGTH);
  log(`S6: ${users.length} users, ${pairs.length} conversations; readers have ${readers.map((r) => r.partners).join(', ')} partners`);
  for (const size of P.s6.sizes) {
    await clearConversations(ctx.conn);
    const t0 = now();
    const messages = skewedMessages(pairs, weights, size, prng(size + 1));
    await seedMessages(ctx.conn, messages.map(([s, r]) => ({ sender: users[s]!.id, receiver: users[r]!.id, content })));
    const seedS = round((now() - t0) / 1000, 1);
    const t1 = now();
    const { server, url } = await ctx.startParley();
    log(`S6 ${size} messages: seeded in ${seedS} s, server up in ${round((now() - t1) / 1000, 1)} s`);
    try {
      // The lightest reader (two partners or more) asks for one row: more means `limit` was ignored (v1 list).
      const probe = size > 0 ? await get(url, readers[0]!.user, '/api/conversations?limit=1', P.s6.capS) : undefined;
      // One row and a cursor: honoured; more rows: ignored; else (one conversation, no cursor) unknown.
      const limitHonoured = !probe?.ok ? null : probe.rows > 1 ? false : probe.more ? true : null;
      if (limitHonoured === false) results.notes.push(`S6 ${size} messages: the server ignored ?limit=1 (${probe!.rows} conversations): an unpaged conversation list was measured`);
      for (const read of ['history', 'conversations'] as Read[]) {
        log(`S6 ${size} messages: ${read}`);
        const step = await ctx.metered(server, () => timeReads(url, readers, read, P.s6));
        results.s6.push({ messages: size, users: users.length, conversations: pairs.length, read, seedS, limitHonoured, ...step });
        log(`  ${fmtLat(step.latency)} p95 ${step.latency.p95} ms, rows ${step.meanRows}, refused ${step.refused} | server cpu ${step.server.cpuShare} db cpu ${step.db?.cpuShare ?? '?'}`);
      }
    } finally {
      await server.stop();
    }
  }
  await timeWideList(ctx);
  await clearConversations(ctx.conn);
}

/**
 * Issue 10's 300-partner figure: one user with `P.s6.widePartners` conversations. After one warm-up
 * request, the first conversation page is timed `samples` times; then the list is walked page by
 * page, and the row says how many distinct conversations the walk saw (each once: all of them).
 */
async function timeWideList(ctx: BenchContext): Promise<void> {
  const { P, results } = ctx;
  const [owner, ...others] = ctx.users.slice(0, P.s6.widePartners + 1);
  await clearConversations(ctx.conn);
  await seedMessages(ctx.conn, others.map((other, i) => ({ sender: i % 2 ? owner!.id : other.id, receiver: i % 2 ? other.id : owner!.id })));
  const { server, url } = await ctx.startParley();
  const reader: Reader = { user: owner!, partner: others[0]!, partners: others.length };
  try {
    log(`S6 ${others.length} partners: first conversation page`);
    const step = await ctx.metered(server, () => timeReads(url, [reader], 'conversations', P.s6));
    const walk = await walkConversations(url, owner!, P.s6.capS);
    results.s6.push({ messages: others.length, users: others.length + 1, conversations: others.length, read: `conversations, ${others.length} partners`, limitHonoured: null, walk, ...step });
    log(`  ${fmtLat(step.latency)} p95 ${step.latency.p95} ms | walk: ${walk.distinct} distinct of ${walk.seen} rows in ${walk.pages} pages`);
  } finally {
    await server.stop();
  }
}

/** Follows `nextCursor` to the end; what a person scrolling the whole list would be sent. */
async function walkConversations(url: string, user: User, capS: number): Promise<{ pages: number; seen: number; distinct: number }> {
  const ids = new Set<string>();
  let seen = 0;
  let pages = 0;
  let cursor: string | null | undefined = undefined;
  do {
    const query = `/api/conversations?limit=${PAGE}${cursor ? `&before=${encodeURIComponent(cursor)}` : ''}`;
    const response = await fetch(`${url}${query}`, { headers: { authorization: `Bearer ${user.token}` }, signal: AbortSignal.timeout(Math.max(10, capS) * 1000) });
    if (!response.ok) break;
    const body = ConversationsResponseSchema.parse(await response.json());
    for (const row of body.conversations) ids.add(row.user.id);
    seen += body.conversations.length;
    pages++;
    cursor = body.nextCursor;
    await sleep(MIN_INTERVAL_MS);
  } while (cursor && pages < 100);
  return { pages, seen, distinct: ids.size };
}

function pathOf(read: Read, reader: Reader): string {
  return read === 'history' ? `/api/messages/${reader.partner.id}?limit=${PAGE}` : `/api/conversations?limit=${PAGE}`;
}

/** A warm-up request, then up to `samples` timed requests; `capS` bounds it all (at least one is timed). */
async function timeReads(url: string, readers: Reader[], read: Read, p: { samples: number; capS: number }) {
  const hist = newHistogram();
  const refusals: Record<string, number> = {};
  let rows = 0;
  const end = now() + p.capS * 1000;
  // Light readers first: where a read costs O(partners x database), the cap ends it early, not late.
  await get(url, readers[0]!.user, pathOf(read, readers[0]!), p.capS);
  for (let i = 0; i < p.samples && (i === 0 || now() < end); i++) {
    const reader = readers[i % readers.length]!;
    const started = now();
    const answer = await get(url, reader.user, pathOf(read, reader), p.capS);
    if (answer.ok) {
      recordMs(hist, now() - started);
      rows += answer.rows;
    } else refusals[answer.status] = (refusals[answer.status] ?? 0) + 1;
    if (answer.status === 'timeout') break; // the server is still at it: more requests would queue behind
    await sleep(Math.max(0, MIN_INTERVAL_MS - (now() - started)));
  }
  const latency = summarize(hist);
  return { latency, meanRows: round(rows / Math.max(latency.count, 1), 1), refused: Object.values(refusals).reduce((a, b) => a + b, 0), refusals };
}

/**
 * One authenticated GET; `rows`: how many messages or conversations came back. Given up after
 * `capS` (10 s at least) as status 'timeout'; a failed connection is status 'network'.
 */
async function get(url: string, user: User, path: string, capS: number): Promise<{ ok: boolean; status: number | 'timeout' | 'network'; rows: number; more?: boolean }> {
  try {
    const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${user.token}` }, signal: AbortSignal.timeout(Math.max(10, capS) * 1000) });
    const text = await response.text();
    if (!response.ok) return { ok: false, status: response.status, rows: 0 };
    const body = JSON.parse(text) as { messages?: unknown[]; conversations?: unknown[]; nextCursor?: string | null };
    return { ok: true, status: response.status, rows: (body.messages ?? body.conversations ?? []).length, more: Boolean(body.nextCursor) };
  } catch (error) {
    return { ok: false, status: (error as Error).name === 'TimeoutError' ? 'timeout' : 'network', rows: 0 };
  }
}
