import { Types, type Connection } from 'mongoose';
import { refreshTokenModel } from './refreshToken.model.js';

export interface RefreshTokenRecord {
  sessionId: string;
  userId: string;
  expiresAt: Date;
}

const DUPLICATE_KEY = 11000;

export function isDuplicateKeyError(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === DUPLICATE_KEY;
}

export function createRefreshTokensRepository(connection: Connection) {
  const Tokens = refreshTokenModel(connection);
  return {
    /**
     * Stores a token as the one child of `parentHash`. False when that parent already has a child:
     * the parent was rotated before (or by a racing request), so presenting it again is reuse.
     */
    async insertChild(input: {
      tokenHash: string;
      parentHash: string;
      sessionId: string;
      userId: string;
      expiresAt: Date;
    }): Promise<boolean> {
      try {
        await Tokens.create({
          ...input,
          sessionId: new Types.ObjectId(input.sessionId),
          userId: new Types.ObjectId(input.userId),
        });
        return true;
      } catch (error) {
        if (isDuplicateKeyError(error)) return false;
        throw error;
      }
    },
    async findByHash(tokenHash: string): Promise<RefreshTokenRecord | null> {
      const doc = await Tokens.findOne({ tokenHash }).lean();
      if (!doc) return null;
      return { sessionId: doc.sessionId.toHexString(), userId: doc.userId.toHexString(), expiresAt: doc.expiresAt };
    },
  };
}

export type RefreshTokensRepository = ReturnType<typeof createRefreshTokensRepository>;
