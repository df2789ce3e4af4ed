import { randomBytes } from 'node:crypto';
import { Types, type Connection } from 'mongoose';
import { messageModel } from '../../apps/server/src/features/messages/message.model.js';

/** Partners per user in S1 and for S4's probers (the issue's figure). */
export const PARTNERS_PER_USER = 20;

interface WithId {
  id: string;
}

/**
 * Conversation partners as the server knows them: one stored message per pair. `pairs` are
 * [sender, receiver] ids; inserted in batches, directly (the send path is measured elsewhere).
 */
export async function seedConversations(conn: Connection, pairs: [string, string][]): Promise<void> {
  const Messages = messageModel(conn);
  const tag = randomBytes(3).toString('hex');
  for (let start = 0; start < pairs.length; start += 2000) {
    const docs = pairs.slice(start, start + 2000).map(([sender, receiver], i) => ({
      sender: new Types.ObjectId(sender),
      receiver: new Types.ObjectId(receiver),
      content: 'hi',
      clientMessageId: `seed${tag}_${start + i}`,
    }));
    await Messages.insertMany(docs, { lean: true });
  }
}

/**
 * Empties `messages` (keeping its indexes). Dropped, not `deleteMany({})`: FerretDB's SQLite
 * backend refuses to delete 100,000 documents in one statement ("too many SQL variables").
 */
export async function clearMessages(conn: Connection): Promise<void> {
  const Messages = messageModel(conn);
  await Messages.collection.drop().catch(() => undefined);
  await Messages.createIndexes();
}

/** A ring: each user talks with the `degree / 2` users after it, so everyone has `degree` partners. */
export function ringPairs(users: readonly WithId[], degree = PARTNERS_PER_USER): [string, string][] {
  const pairs: [string, string][] = [];
  if (users.length <= degree) throw new Error(`a ring of degree ${degree} needs more than ${degree} users`);
  for (let i = 0; i < users.length; i++) {
    for (let k = 1; k <= degree / 2; k++) pairs.push([users[i]!.id, users[(i + k) % users.length]!.id]);
  }
  return pairs;
}

/** Each of `users` talks with every one of `partners`. */
export function starPairs(users: readonly WithId[], partners: readonly WithId[]): [string, string][] {
  return users.flatMap((user) => partners.map((partner): [string, string] => [user.id, partner.id]));
}
