import { Types, type Connection } from 'mongoose';
import pLimit from 'p-limit';
import { searchFilter, searchWordsOf } from './searchWords.js';
import { userModel } from './user.model.js';

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  createdAt: Date;
  lastSeen: Date | null;
  /** v2 privacy: false hides the user's presence from everyone. */
  showPresence: boolean;
}

interface StoredUser {
  _id: Types.ObjectId;
  username: string;
  displayName: string;
  passwordHash: string;
  createdAt: Date;
  lastSeen?: Date | null;
  showPresence?: boolean;
}

function toRecord(doc: StoredUser): UserRecord {
  return {
    id: doc._id.toHexString(),
    username: doc.username,
    displayName: doc.displayName,
    passwordHash: doc.passwordHash,
    createdAt: doc.createdAt,
    lastSeen: doc.lastSeen ?? null,
    showPresence: doc.showPresence ?? true,
  };
}

export const USERS_LIST_MAX = 200;
/**
 * Point reads one presenceProfiles call has in flight at once. One: a 200-id subscription is one
 * user's appetite and takes one database connection, so other users' sends interleave with it
 * (bench S7, presence_subscribe flood: bystander ack p95 2.6-4.1x quiet with 4 at once, 1.9-2.1x
 * with 1); on FerretDB 200 reads take about 250 ms in a row, on MongoDB a few tens.
 */
export const PROFILE_READS_AT_ONCE = 1;
/** Point reads one page of users has in flight at once (a conversation page is at most 100). */
const PAGE_READS_AT_ONCE = 4;

export function createUsersRepository(connection: Connection) {
  const Users = userModel(connection);
  type PresenceFields = Pick<StoredUser, '_id' | 'showPresence' | 'lastSeen'>;
  // Every connect reads this (presence): the driver's collection, without mongoose's query layer.
  const presenceFieldsOf = async (id: string) =>
    (await Users.collection.findOne({ _id: new Types.ObjectId(id) }, { projection: { showPresence: 1, lastSeen: 1 } })) as PresenceFields | null;

  async function findById(id: string): Promise<UserRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await Users.findById(id).lean<StoredUser>();
    return doc ? toRecord(doc) : null;
  }

  return {
    async create(input: { username: string; displayName: string; passwordHash: string }) {
      const doc = await Users.create(input);
      return toRecord(doc.toObject() as StoredUser);
    },

    findById,

    async findByUsername(username: string): Promise<UserRecord | null> {
      const doc = await Users.findOne({ username }).lean<StoredUser>();
      return doc ? toRecord(doc) : null;
    },

    /**
     * The users of one page (the conversation list's partners), by point reads: an `$in` is one
     * index read on MongoDB but scans every user on FerretDB (bench S6 with 10,000 users: ~700 ms
     * per page, against tens of ms for 50 point reads; ADR 0022). O(page) on both.
     */
    async findManyByIds(ids: string[]): Promise<UserRecord[]> {
      const limit = pLimit(PAGE_READS_AT_ONCE);
      const docs = await Promise.all(
        [...new Set(ids)]
          .filter((id) => Types.ObjectId.isValid(id))
          .map((id) => limit(async () => (await Users.collection.findOne({ _id: new Types.ObjectId(id) })) as StoredUser | null)),
      );
      return docs.flatMap((doc) => (doc ? [toRecord(doc)] : []));
    },

    /**
     * What presence needs of each of `ids` that exists: one lookup by _id each, `PROFILE_READS_AT_ONCE`
     * at a time. FerretDB pushes only `_id` equality down to its storage (an `$in` scans the
     * collection; ADR 0022), so this stays O(ids) there too; on MongoDB it is as many point reads.
     */
    async presenceProfiles(ids: readonly string[]): Promise<{ id: string; showPresence: boolean; lastSeen: Date | null }[]> {
      const limit = pLimit(PROFILE_READS_AT_ONCE);
      const docs = await Promise.all(
        [...new Set(ids)]
          .filter((id) => Types.ObjectId.isValid(id))
          .map((id) => limit(() => presenceFieldsOf(id))),
      );
      return docs.flatMap((doc) =>
        doc ? [{ id: doc._id.toHexString(), showPresence: doc.showPresence ?? true, lastSeen: doc.lastSeen ?? null }] : [],
      );
    },

    /**
     * Everyone but `excludeId`, optionally those `query` finds: each of its words begins a word of
     * the display name or the username, ignoring case and accents (searchWords.ts).
     */
    async search(excludeId: string, query: string | undefined): Promise<UserRecord[]> {
      const exclude = { _id: { $ne: new Types.ObjectId(excludeId) } };
      const match = query ? searchFilter(query) : null;
      const filter = match ? { $and: [exclude, match] } : exclude;
      const docs = await Users.find(filter).sort({ username: 1 }).limit(USERS_LIST_MAX).lean<StoredUser[]>();
      return docs.map(toRecord);
    },

    async exists(id: string): Promise<boolean> {
      if (!Types.ObjectId.isValid(id)) return false;
      return (await Users.exists({ _id: id })) !== null;
    },

    async setPasswordHash(id: string, passwordHash: string): Promise<void> {
      await Users.updateOne({ _id: id }, { $set: { passwordHash } });
    },
    /** Changes what is given; the updated user, or null when there is no such user. */
    async updateProfile(id: string, changes: { displayName?: string; showPresence?: boolean }): Promise<UserRecord | null> {
      const set: Record<string, unknown> = {};
      if (changes.displayName !== undefined) set.displayName = changes.displayName;
      if (changes.showPresence !== undefined) set.showPresence = changes.showPresence;
      const doc = await Users.findOneAndUpdate({ _id: id }, { $set: set }, { returnDocument: 'after' }).lean<StoredUser>();
      return doc ? toRecord(doc) : null;
    },
    async setLastSeen(id: string, at: Date): Promise<void> {
      await Users.updateOne({ _id: id }, { $set: { lastSeen: at } }, { timestamps: false });
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;

const BACKFILL_BATCH = 500;
/** FerretDB stalls on a bulk write of a few hundred updates (past the socket timeout): small chunks. */
const BACKFILL_WRITE_CHUNK = 50;

/**
 * Gives every user stored before search words existed their words. Idempotent (only users
 * without them are touched) and run at start; a batch at a time, in _id order.
 */
export async function backfillSearchWords(connection: Connection): Promise<number> {
  const Users = userModel(connection);
  let done = 0;
  for (;;) {
    const batch = await Users.find({ nameWords: { $exists: false } }, { displayName: 1 })
      .sort({ _id: 1 })
      .limit(BACKFILL_BATCH)
      .lean<{ _id: Types.ObjectId; displayName: string }[]>();
    if (batch.length === 0) return done;
    for (let start = 0; start < batch.length; start += BACKFILL_WRITE_CHUNK) {
      await Users.bulkWrite(
        batch.slice(start, start + BACKFILL_WRITE_CHUNK).map((doc) => ({
          updateOne: { filter: { _id: doc._id }, update: { $set: { nameWords: searchWordsOf(doc.displayName) } }, timestamps: false },
        })),
      );
    }
    done += batch.length;
  }
}
