import { randomBytes } from 'node:crypto';
import { Types, type Connection } from 'mongoose';
import { ensureIndexes } from '../../apps/server/src/db/connect.js';
import { markMigrated } from '../../apps/server/src/features/messages/store/mongoMigration.js';
import { conversationKeyOf } from '../../apps/server/src/features/messages/store/messageStore.js';

/**
 * Writes seeded messages in the shared schema of the conversation model (issue 10; the team brief's
 * "Shared schema"): each message with its `conversationKey` and `participants`, one summary per
 * conversation in `conversations`, and every user's partners in `message_partners` (what the
 * server's presence reads on connect). Raw collections, not the server's mongoose model, so the bench
 * writes exactly these documents and does not follow the model file's changes silently. Indexes are
 * the server's own (`ensureIndexes`), made before seeding.
 */
export const COLLECTIONS = { messages: 'messages', conversations: 'conversations', partners: 'message_partners' } as const;

export interface SeedMessage {
  sender: string;
  receiver: string;
  content?: string;
  createdAt?: Date;
  /** Default true: read (and delivered) when it was written. False: neither read nor delivered. */
  read?: boolean;
}

type Doc = Record<string, unknown> & { _id: Types.ObjectId; createdAt: Date };

const CHUNK = 1000;

/**
 * Empties the three collections. Dropped, not `deleteMany({})`: FerretDB's SQLite backend refuses to
 * delete 100,000 documents in one statement ("too many SQL variables"). Only while no server under
 * test runs.
 */
export async function clearConversations(conn: Connection): Promise<void> {
  for (const name of Object.values(COLLECTIONS)) await conn.collection(name).drop().catch(() => undefined);
  // Earlier bench servers exit without a clean close, so their crash-repair markers stay; a new
  // server would "repair" every seeded conversation from them (ADR 0019) before it listens.
  await conn.collection('message_store_nodes').drop().catch(() => undefined);
  // The server's own index set, created on the empty collections: FerretDB builds an index over
  // existing documents far more slowly than it maintains one while inserting (10,000 messages: minutes).
  await ensureIndexes(conn);
  // What the bench seeds is already the current store's shape: the server under test must not
  // spend its start migrating it (that is measured nowhere and stalls FerretDB's start).
  await markMigrated(conn);
}

/**
 * Empties the three collections while a server runs (its indexes stay): between S2/S3/S8 steps, whose
 * few thousand documents FerretDB deletes in one statement.
 */
export async function emptyConversations(conn: Connection): Promise<void> {
  for (const name of Object.values(COLLECTIONS)) await conn.collection(name).deleteMany({});
}

/** How many messages are stored (estimated: no scan). */
export function messageCount(conn: Connection): Promise<number> {
  return conn.collection(COLLECTIONS.messages).estimatedDocumentCount();
}

/**
 * Stores `messages` (in this order, one second apart unless they say when) with their summaries and
 * partners. The conversations they belong to must have no messages yet (seed after
 * `clearConversations`): summaries and partner lists are inserted, not merged. Returns the ids.
 */
export async function seedMessages(conn: Connection, messages: readonly SeedMessage[]): Promise<string[]> {
  const tag = randomBytes(3).toString('hex');
  const start = Date.now() - messages.length * 1000;
  const docs = messages.map((m, i) => messageDoc(m, m.createdAt ?? new Date(start + i * 1000), `seed${tag}_${i}`));
  for (let i = 0; i < docs.length; i += CHUNK) await conn.collection(COLLECTIONS.messages).insertMany(docs.slice(i, i + CHUNK));
  const summaries = [...summariesOf(docs).values()];
  for (let i = 0; i < summaries.length; i += CHUNK) {
    await conn.collection(COLLECTIONS.conversations).insertMany(summaries.slice(i, i + CHUNK) as never[]);
  }
  const partners = partnersOf(docs);
  for (let i = 0; i < partners.length; i += CHUNK) await conn.collection(COLLECTIONS.partners).insertMany(partners.slice(i, i + CHUNK) as never[]);
  return docs.map((doc) => doc._id.toHexString());
}

/** A message document as the store writes it (the fields of the existing model stay). */
export function messageDoc(m: SeedMessage, createdAt: Date, clientMessageId: string): Doc {
  const read = m.read ?? true;
  const sender = new Types.ObjectId(m.sender);
  const receiver = new Types.ObjectId(m.receiver);
  return {
    _id: new Types.ObjectId(),
    conversationKey: conversationKeyOf(m.sender, m.receiver),
    participants: [sender, receiver],
    sender,
    receiver,
    clientMessageId,
    content: m.content ?? 'hi',
    createdAt,
    updatedAt: createdAt,
    isRead: read,
    readAt: read ? createdAt : null,
    deliveredAt: read ? createdAt : null,
    replyTo: null,
    editedAt: null,
    deletedAt: null,
  };
}

/** One summary per conversation: last message, unread count and read position of each participant. */
function summariesOf(docs: readonly Doc[]): Map<string, Record<string, unknown>> {
  const byKey = new Map<string, Record<string, unknown>>();
  for (const doc of docs) {
    const key = doc.conversationKey as string;
    const [a, b] = key.split(':') as [string, string];
    const summary = byKey.get(key) ?? {
      _id: key,
      participants: [new Types.ObjectId(a), new Types.ObjectId(b)],
      lastActivityAt: doc.createdAt,
      lastMessage: doc,
      unread: { [a]: 0, [b]: 0 },
      readAt: {},
    };
    byKey.set(key, summary);
    if (doc.createdAt >= (summary.lastActivityAt as Date)) {
      summary.lastActivityAt = doc.createdAt;
      summary.lastMessage = doc;
    }
    const receiver = (doc.receiver as Types.ObjectId).toHexString();
    const unread = summary.unread as Record<string, number>;
    const readAt = summary.readAt as Record<string, Date>;
    if (!doc.isRead) unread[receiver] = (unread[receiver] ?? 0) + 1;
    else if (!readAt[receiver] || readAt[receiver] < (doc.readAt as Date)) readAt[receiver] = doc.readAt as Date;
  }
  return byKey;
}

/** `{ _id: userHex, ids: [partnerHex...] }` for everyone who has a conversation. */
function partnersOf(docs: readonly Doc[]): { _id: string; ids: string[] }[] {
  const ids = new Map<string, Set<string>>();
  const add = (user: string, partner: string) => (ids.get(user) ?? ids.set(user, new Set()).get(user)!).add(partner);
  for (const doc of docs) {
    const sender = (doc.sender as Types.ObjectId).toHexString();
    const receiver = (doc.receiver as Types.ObjectId).toHexString();
    add(sender, receiver);
    add(receiver, sender);
  }
  return [...ids].map(([user, partners]) => ({ _id: user, ids: [...partners] }));
}
