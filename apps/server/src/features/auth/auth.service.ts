import { setTimeout as sleep } from 'node:timers/promises';
import type { User } from '@parley/protocol';
import { AppError } from '../../lib/AppError.js';
import type { UsersRepository } from '../users/users.repository.js';
import { toPublicUser } from '../users/users.service.js';
import type { LoginThrottle } from './loginThrottle.js';
import { weakPasswordReason } from './passwordPolicy.js';
import { decoyPasswordHash, hashPassword, verifyPassword } from './passwords.js';
import { isDuplicateKeyError, type RefreshTokensRepository } from './refreshTokens.repository.js';
import type { SessionsService } from './sessions.service.js';
import { hashRefreshToken, newRefreshToken, type AccessTokens } from './tokens.js';

/** What a sign-in, sign-up or refresh hands the client: the cookie's token and the access token. */
export interface IssuedSession {
  user: User;
  accessToken: string;
  refreshToken: string;
  refreshExpiresAt: Date;
}

interface AuthDeps {
  users: UsersRepository;
  refreshTokens: RefreshTokensRepository;
  sessions: SessionsService;
  accessTokens: AccessTokens;
  loginThrottle: LoginThrottle;
  refreshTokenTtlMs: number;
  sessionMaxAgeMs: number;
  now?: () => Date;
  /** Holds a failing login's answer (the progressive delay); injectable for tests. */
  wait?: (ms: number) => Promise<unknown>;
}

function invalidRefresh(): AppError {
  return new AppError('UNAUTHORIZED', 'Please sign in again');
}

function weakPassword(field: string, reason: string): AppError {
  return new AppError('WEAK_PASSWORD', reason, { fields: { [field]: reason } });
}

function tooManyAttempts(retryAfterMs: number): AppError {
  const seconds = Math.ceil(retryAfterMs / 1000);
  return new AppError(
    'TOO_MANY_ATTEMPTS',
    `Too many failed attempts for this username; try again in ${seconds} s`,
    undefined,
    seconds,
  );
}

export function createAuthService(deps: AuthDeps) {
  const { users, refreshTokens, sessions, accessTokens, loginThrottle, refreshTokenTtlMs, sessionMaxAgeMs } = deps;
  const now = deps.now ?? (() => new Date());
  const wait = deps.wait ?? sleep;

  /** A refresh token that is the one child of `parentHash`; false when that parent already had one. */
  async function issueRefreshToken(input: { parentHash: string; sessionId: string; userId: string; sessionEndsAt: Date }) {
    const refreshToken = newRefreshToken();
    const refreshExpiresAt = new Date(Math.min(now().getTime() + refreshTokenTtlMs, input.sessionEndsAt.getTime()));
    const stored = await refreshTokens.insertChild({
      tokenHash: hashRefreshToken(refreshToken),
      parentHash: input.parentHash,
      sessionId: input.sessionId,
      userId: input.userId,
      expiresAt: refreshExpiresAt,
    });
    return stored ? { refreshToken, refreshExpiresAt } : null;
  }

  async function startSession(user: User, userAgent: string | null): Promise<IssuedSession> {
    const session = await sessions.start(user.id, userAgent, sessionMaxAgeMs);
    const issued = await issueRefreshToken({
      parentHash: `session:${session.id}`,
      sessionId: session.id,
      userId: user.id,
      sessionEndsAt: session.expiresAt,
    });
    if (!issued) throw new Error('a new session already had a refresh token');
    return { user, accessToken: await accessTokens.sign(user.id, session.id, session.expiresAt), ...issued };
  }

  /** Throws TOO_MANY_ATTEMPTS while `username` is locked; else checks the password, counting failures. */
  async function checkPassword(username: string, passwordHash: string | undefined, password: string): Promise<boolean> {
    const retryAfterMs = await loginThrottle.retryAfterMs(username);
    if (retryAfterMs > 0) throw tooManyAttempts(retryAfterMs);
    // Verify against a decoy when the user is unknown, so both failures take as long.
    const ok = passwordHash !== undefined && (await verifyPassword(passwordHash, password));
    if (passwordHash === undefined) await verifyPassword(await decoyPasswordHash(), password);
    if (ok) {
      await loginThrottle.succeeded(username);
      return true;
    }
    const { delayMs } = await loginThrottle.failed(username);
    if (delayMs > 0) await wait(delayMs);
    return false;
  }

  return {
    async register(input: { username: string; password: string; displayName?: string | undefined }, userAgent: string | null) {
      const weak = weakPasswordReason(input.password, input.username);
      if (weak) throw weakPassword('password', weak);
      const passwordHash = await hashPassword(input.password);
      let record;
      try {
        record = await users.create({
          username: input.username,
          displayName: input.displayName ?? input.username,
          passwordHash,
        });
      } catch (error) {
        if (isDuplicateKeyError(error)) {
          throw new AppError('USERNAME_TAKEN', 'That username is taken', { fields: { username: 'That username is taken.' } });
        }
        throw error;
      }
      return startSession(toPublicUser(record), userAgent);
    },

    async login(input: { username: string; password: string }, userAgent: string | null): Promise<IssuedSession> {
      const record = await users.findByUsername(input.username);
      if (!(await checkPassword(input.username, record?.passwordHash, input.password)) || !record) {
        throw new AppError('INVALID_CREDENTIALS', 'Wrong username or password');
      }
      return startSession(toPublicUser(record), userAgent);
    },

    /**
     * Rotates the refresh token: the new token is stored as the presented one's only child, so of
     * any number of concurrent or later uses of one token exactly one succeeds. Any other use is
     * reuse: a thief or a stale copy, we cannot tell which, so the whole session ends.
     */
    async refresh(presented: string | undefined): Promise<IssuedSession> {
      if (!presented) throw invalidRefresh();
      const tokenHash = hashRefreshToken(presented);
      const stored = await refreshTokens.findByHash(tokenHash);
      const at = now();
      if (!stored || stored.expiresAt <= at) throw invalidRefresh();
      const session = await sessions.findLive(stored.sessionId, at);
      if (!session) throw invalidRefresh();
      const issued = await issueRefreshToken({
        parentHash: tokenHash,
        sessionId: session.id,
        userId: stored.userId,
        sessionEndsAt: session.expiresAt,
      });
      if (!issued) {
        await sessions.end([session.id]);
        throw invalidRefresh();
      }
      const record = await users.findById(stored.userId);
      if (!record) throw invalidRefresh();
      await sessions.touch(session.id, at);
      return {
        user: toPublicUser(record),
        accessToken: await accessTokens.sign(record.id, session.id, session.expiresAt),
        ...issued,
      };
    },

    /** Ends the session the refresh token belongs to (whatever state the token is in). */
    async logout(presented: string | undefined): Promise<void> {
      if (!presented) return;
      const stored = await refreshTokens.findByHash(hashRefreshToken(presented));
      if (stored) await sessions.end([stored.sessionId]);
    },

    /** Changes the password and ends every other session of the user; this one stays. */
    async changePassword(userId: string, sessionId: string, input: { currentPassword: string; newPassword: string }) {
      const record = await users.findById(userId);
      if (!record) throw new AppError('UNAUTHORIZED', 'This account no longer exists');
      if (!(await checkPassword(record.username, record.passwordHash, input.currentPassword))) {
        const reason = 'That is not your current password.';
        throw new AppError('VALIDATION_ERROR', reason, { fields: { currentPassword: reason } });
      }
      const weak = weakPasswordReason(input.newPassword, record.username);
      if (weak) throw weakPassword('newPassword', weak);
      await users.setPasswordHash(userId, await hashPassword(input.newPassword));
      await sessions.endAll(userId, sessionId);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
