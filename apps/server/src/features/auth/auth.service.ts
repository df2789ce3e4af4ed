import { randomUUID } from 'node:crypto';
import type { User } from '@parley/protocol';
import { AppError } from '../../lib/AppError.js';
import type { UsersRepository } from '../users/users.repository.js';
import { toPublicUser } from '../users/users.service.js';
import { decoyPasswordHash, hashPassword, verifyPassword } from './passwords.js';
import type { RefreshTokensRepository } from './refreshTokens.repository.js';
import { hashRefreshToken, newRefreshToken, type AccessTokens } from './tokens.js';

export interface Session {
  user: User;
  accessToken: string;
  refreshToken: string;
  refreshExpiresAt: Date;
}

interface AuthDeps {
  users: UsersRepository;
  refreshTokens: RefreshTokensRepository;
  accessTokens: AccessTokens;
  refreshTokenTtlMs: number;
  now?: () => Date;
}

const DUPLICATE_KEY = 11000;

function isDuplicateKeyError(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === DUPLICATE_KEY;
}

function invalidRefresh(): AppError {
  return new AppError('UNAUTHORIZED', 'Please sign in again');
}

export function createAuthService(deps: AuthDeps) {
  const { users, refreshTokens, accessTokens, refreshTokenTtlMs } = deps;
  const now = deps.now ?? (() => new Date());

  async function startSession(user: User, familyId: string): Promise<Session> {
    const refreshToken = newRefreshToken();
    const refreshExpiresAt = new Date(now().getTime() + refreshTokenTtlMs);
    await refreshTokens.insert({
      tokenHash: hashRefreshToken(refreshToken),
      userId: user.id,
      familyId,
      expiresAt: refreshExpiresAt,
    });
    return { user, accessToken: await accessTokens.sign(user.id), refreshToken, refreshExpiresAt };
  }

  return {
    async register(input: { username: string; password: string; displayName?: string | undefined }) {
      const passwordHash = await hashPassword(input.password);
      try {
        const record = await users.create({
          username: input.username,
          displayName: input.displayName ?? input.username,
          passwordHash,
        });
        return startSession(toPublicUser(record), randomUUID());
      } catch (error) {
        if (isDuplicateKeyError(error)) throw new AppError('USERNAME_TAKEN', 'That username is taken');
        throw error;
      }
    },

    async login(input: { username: string; password: string }): Promise<Session> {
      const record = await users.findByUsername(input.username);
      // Verify against a decoy when the user is unknown, so both failures take as long.
      const passwordOk = await verifyPassword(record?.passwordHash ?? (await decoyPasswordHash()), input.password);
      if (!record || !passwordOk) {
        throw new AppError('INVALID_CREDENTIALS', 'Wrong username or password');
      }
      return startSession(toPublicUser(record), randomUUID());
    },

    /** Rotates the refresh token. Presenting a rotated or revoked one revokes its whole family. */
    async refresh(presented: string | undefined): Promise<Session> {
      if (!presented) throw invalidRefresh();
      const tokenHash = hashRefreshToken(presented);
      const stored = await refreshTokens.findByHash(tokenHash);
      if (!stored) throw invalidRefresh();
      const at = now();
      if (stored.revokedAt) {
        await refreshTokens.revokeFamily(stored.familyId, at);
        throw invalidRefresh();
      }
      if (stored.expiresAt <= at) throw invalidRefresh();
      // Two requests racing with one token: only one wins the rotation; the other is reuse.
      if (!(await refreshTokens.revokeIfActive(tokenHash, at))) {
        await refreshTokens.revokeFamily(stored.familyId, at);
        throw invalidRefresh();
      }
      const record = await users.findById(stored.userId);
      if (!record) throw invalidRefresh();
      return startSession(toPublicUser(record), stored.familyId);
    },

    async logout(presented: string | undefined): Promise<void> {
      if (!presented) return;
      await refreshTokens.revokeIfActive(hashRefreshToken(presented), now());
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
