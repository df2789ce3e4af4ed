import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { newHistogram, now, recordMs, round, selfMeter, summarize } from '../common.js';
import { fmtLat, log, type BenchContext } from '../context.js';
import { CONTENT_LENGTH } from '../params.js';
import { clearConversations, COLLECTIONS, messageCount, messageDoc } from '../seedConversations.js';

/**
 * B3: the database alone, closed-loop: what inserts and FerretDB's full-scan finds cost without
 * Parley. The driver's own calls on the raw `messages` collection (the lean path the server's group
 * commit uses), with documents in the stored shape (seedConversations.ts); no summaries.
 */
export async function runB3(ctx: BenchContext): Promise<void> {
  const { P, results, users, dbMeter } = ctx;
  const Messages = ctx.conn.collection(COLLECTIONS.messages);
  const me = selfMeter();
  const sender = users[0]!.id;
  const receiver = users[1]!.id;
  const senderId = new Types.ObjectId(sender);
  const tag = randomBytes(4).toString('hex');
  let seq = 0;
  const doc = () => messageDoc({ sender, receiver, content: 'x'.repeat(CONTENT_LENGTH), read: false }, new Date(), `b3${tag}_${seq++}`);

  async function closedLoop(label: string, concurrency: number, op: () => Promise<unknown>, perOp: number) {
    const hist = newHistogram();
    const seconds = P.b3.seconds;
    me.begin();
    dbMeter.begin();
    const t0 = now();
    const end = t0 + seconds * 1000;
    let ops = 0;
    let errors = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (now() < end) {
          const s = now();
          try {
            await op();
            recordMs(hist, now() - s);
            ops++;
          } catch {
            errors++;
          }
        }
      }),
    );
    const wall = (now() - t0) / 1000;
    const row = {
      op: label,
      concurrency,
      docsPerOp: perOp,
      opsPerS: round(ops / wall, 1),
      docsPerS: round((ops * perOp) / wall, 1),
      errors,
      latency: summarize(hist),
      client: me.read(),
      db: dbMeter.read(),
      docsAfter: await messageCount(ctx.conn),
    };
    results.b3.push(row);
    log(`B3 ${label} c=${concurrency} x${perOp}: ${row.docsPerS} docs/s, ${fmtLat(row.latency)} db cpu ${row.db?.cpuShare ?? '?'}`);
  }

  // Dropped and re-indexed, not deleteMany({}): FerretDB deletes by one SQL placeholder per
  // document, and the batch steps leave more than SQLite allows (32,766) in one statement.
  const clear = () => clearConversations(ctx.conn);
  await clear();
  for (const c of P.b3.concurrencies) await closedLoop('insertOne', c, () => Messages.insertOne(doc()), 1);
  // FerretDB's SQLite backend pushes no filter down: a findOne costs a scan of the collection. A send
  // no longer reads before it inserts, but history, conversations, receipts and a retried send do.
  for (const size of P.b3.scanSizes) {
    await clear();
    for (let have = 0; have < size; have += 1000) {
      await Messages.insertMany(Array.from({ length: Math.min(1000, size - have) }, doc));
    }
    await closedLoop(`findOne {sender, clientMessageId}, ${size} docs`, 1, () => Messages.findOne({ sender: senderId, clientMessageId: 'absent' }), 1);
  }
  await clear();
  for (const b of P.b3.batches) {
    await closedLoop('insertMany', 1, () => Messages.insertMany(Array.from({ length: b }, doc), { ordered: false }), b);
  }
  await clear();
}
