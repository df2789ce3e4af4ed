import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, errors, jwtVerify } from 'jose';
import { AppError } from '../../lib/AppError.js';

export interface AccessTokenConfig {
  secret: Uint8Array;
  issuer: string;
  audience: string;
  accessTtlSeconds: number;
}

/** Access tokens say so in their header; nothing else we sign may be taken for one. */
const ACCESS_TOKEN_TYPE = 'at+jwt';
const ALGORITHM = 'HS256';

export interface VerifiedAccessToken {
  userId: string;
  /** The session (sign-in) the token was issued for: its `sid` claim. */
  sessionId: string;
  expiresAt: Date;
}

const OBJECT_ID = /^[0-9a-f]{24}$/;

export function createAccessTokens(config: AccessTokenConfig) {
  // Imported once: given the raw bytes, jose imports the key again on every sign and verify
  // (half the cost of verifying a token, paid by every handshake and every REST request).
  const key = crypto.subtle.importKey('raw', config.secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  return {
    /** A token for `userId` in session `sessionId`; it never outlives `notAfter` (the session's end). */
    async sign(userId: string, sessionId: string, notAfter?: Date): Promise<string> {
      const nowSeconds = Math.floor(Date.now() / 1000);
      let expiresAt = nowSeconds + config.accessTtlSeconds;
      if (notAfter) expiresAt = Math.min(expiresAt, Math.floor(notAfter.getTime() / 1000));
      return new SignJWT({ sid: sessionId })
        .setProtectedHeader({ alg: ALGORITHM, typ: ACCESS_TOKEN_TYPE })
        .setSubject(userId)
        .setIssuer(config.issuer)
        .setAudience(config.audience)
        .setIssuedAt(nowSeconds)
        .setExpirationTime(expiresAt)
        .sign(await key);
    },

    /** Throws AppError UNAUTHORIZED (or TOKEN_EXPIRED) for anything but a valid access token. */
    async verify(token: unknown): Promise<VerifiedAccessToken> {
      if (typeof token !== 'string' || token.length === 0 || token.length > 4096) {
        throw new AppError('UNAUTHORIZED', 'A valid access token is required');
      }
      try {
        const { payload } = await jwtVerify(token, await key, {
          algorithms: [ALGORITHM],
          issuer: config.issuer,
          audience: config.audience,
          typ: ACCESS_TOKEN_TYPE,
          requiredClaims: ['sub', 'exp', 'iat', 'sid'],
          // However far `exp` says, no access token is honoured longer than the configured life:
          // the revocation list keeps a session's id exactly that long (see RevokedSessions).
          maxTokenAge: config.accessTtlSeconds,
        });
        const { sub, sid, exp } = payload;
        if (!sub || !OBJECT_ID.test(sub) || typeof sid !== 'string' || !OBJECT_ID.test(sid) || exp === undefined) {
          throw new AppError('UNAUTHORIZED', 'A valid access token is required');
        }
        return { userId: sub, sessionId: sid, expiresAt: new Date(exp * 1000) };
      } catch (error) {
        if (error instanceof errors.JWTExpired) {
          throw new AppError('TOKEN_EXPIRED', 'The access token has expired');
        }
        if (error instanceof AppError) throw error;
        throw new AppError('UNAUTHORIZED', 'A valid access token is required');
      }
    },
  };
}

export type AccessTokens = ReturnType<typeof createAccessTokens>;

/** Refresh tokens are opaque random strings; only their SHA-256 is stored. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
