import { Types, type Connection } from 'mongoose';
import { refreshTokenModel } from './refreshToken.model.js';

export interface RefreshTokenRecord {
  userId: string;
  familyId: string;
  expiresAt: Date;
  revokedAt: Date | null;
}

export function createRefreshTokensRepository(connection: Connection) {
  const Tokens = refreshTokenModel(connection);

  return {
    async insert(input: { tokenHash: string; userId: string; familyId: string; expiresAt: Date }) {
      await Tokens.create({ ...input, userId: new Types.ObjectId(input.userId) });
    },

    async findByHash(tokenHash: string): Promise<RefreshTokenRecord | null> {
      const doc = await Tokens.findOne({ tokenHash }).lean();
      if (!doc) return null;
      return {
        userId: doc.userId.toHexString(),
        familyId: doc.familyId,
        expiresAt: doc.expiresAt,
        revokedAt: doc.revokedAt ?? null,
      };
    },

    /** Revokes one live token; false when it was already revoked (by a racing request, say). */
    async revokeIfActive(tokenHash: string, at: Date): Promise<boolean> {
      const result = await Tokens.updateOne({ tokenHash, revokedAt: null }, { $set: { revokedAt: at } });
      return result.modifiedCount === 1;
    },

    async revokeFamily(familyId: string, at: Date): Promise<void> {
      await Tokens.updateMany({ familyId, revokedAt: null }, { $set: { revokedAt: at } });
    },
  };
}

export type RefreshTokensRepository = ReturnType<typeof createRefreshTokensRepository>;
