import { Types, type Connection } from 'mongoose';
import { sessionModel } from './session.model.js';

export interface SessionRecord {
  id: string;
  userId: string;
  userAgent: string | null;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

interface StoredSession {
  _id: Types.ObjectId;
  userId: Types.ObjectId;
  userAgent?: string | null;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  revokedAt?: Date | null;
}

function toRecord(doc: StoredSession): SessionRecord {
  return {
    id: doc._id.toHexString(),
    userId: doc.userId.toHexString(),
    userAgent: doc.userAgent ?? null,
    createdAt: doc.createdAt,
    lastUsedAt: doc.lastUsedAt,
    expiresAt: doc.expiresAt,
    revokedAt: doc.revokedAt ?? null,
  };
}

/** No one needs more live sign-ins than this listed; older ones still end with "sign out everywhere". */
export const SESSIONS_LIST_MAX = 100;
const USER_AGENT_MAX = 256;

export function createSessionsRepository(connection: Connection) {
  const Sessions = sessionModel(connection);
  return {
    async create(input: { userId: string; userAgent: string | null; at: Date; expiresAt: Date }): Promise<SessionRecord> {
      const doc = await Sessions.create({
        userId: new Types.ObjectId(input.userId),
        userAgent: input.userAgent?.slice(0, USER_AGENT_MAX) ?? null,
        lastUsedAt: input.at,
        expiresAt: input.expiresAt,
      });
      return toRecord(doc.toObject() as StoredSession);
    },
    async findById(id: string): Promise<SessionRecord | null> {
      if (!Types.ObjectId.isValid(id)) return null;
      const doc = await Sessions.findById(id).lean<StoredSession>();
      return doc ? toRecord(doc) : null;
    },
    async touch(id: string, at: Date): Promise<void> {
      await Sessions.updateOne({ _id: id }, { $set: { lastUsedAt: at } }, { timestamps: false });
    },
    /** The user's sessions not ended and not expired at `at`, most recently used first. */
    async listLive(userId: string, at: Date, limit = SESSIONS_LIST_MAX): Promise<SessionRecord[]> {
      const docs = await Sessions.find({ userId: new Types.ObjectId(userId), revokedAt: null, expiresAt: { $gt: at } })
        .sort({ lastUsedAt: -1 })
        .limit(limit)
        .lean<StoredSession[]>();
      return docs.map(toRecord);
    },
    async liveIds(userId: string, at: Date): Promise<string[]> {
      const docs = await Sessions.find(
        { userId: new Types.ObjectId(userId), revokedAt: null, expiresAt: { $gt: at } },
        { _id: 1 },
      ).lean<{ _id: Types.ObjectId }[]>();
      return docs.map((doc) => doc._id.toHexString());
    },
    async revoke(ids: string[], at: Date): Promise<void> {
      if (ids.length === 0) return;
      await Sessions.updateMany({ _id: { $in: ids }, revokedAt: null }, { $set: { revokedAt: at } }, { timestamps: false });
    },
    /** Sessions ended since `since`: a restarted node reloads them into its revocation list. */
    async revokedSince(since: Date): Promise<{ id: string; revokedAt: Date }[]> {
      const docs = await Sessions.find({ revokedAt: { $gt: since } }, { _id: 1, revokedAt: 1 }).lean<
        { _id: Types.ObjectId; revokedAt: Date }[]
      >();
      return docs.map((doc) => ({ id: doc._id.toHexString(), revokedAt: doc.revokedAt }));
    },
  };
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>;
