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
  expiresAt: Date;
}

export function createAccessTokens(config: AccessTokenConfig) {
  return {
    async sign(userId: string): Promise<string> {
      return new SignJWT({})
        .setProtectedHeader({ alg: ALGORITHM, typ: ACCESS_TOKEN_TYPE })
        .setSubject(userId)
        .setIssuer(config.issuer)
        .setAudience(config.audience)
        .setIssuedAt()
        .setExpirationTime(`${config.accessTtlSeconds}s`)
        .sign(config.secret);
    },

    /** Throws AppError UNAUTHORIZED (or TOKEN_EXPIRED) for anything but a valid access token. */
    async verify(token: unknown): Promise<VerifiedAccessToken> {
      if (typeof token !== 'string' || token.length === 0 || token.length > 4096) {
        throw new AppError('UNAUTHORIZED', 'A valid access token is required');
      }
      try {
        const { payload } = await jwtVerify(token, config.secret, {
          algorithms: [ALGORITHM],
          issuer: config.issuer,
          audience: config.audience,
          typ: ACCESS_TOKEN_TYPE,
          requiredClaims: ['sub', 'exp', 'iat'],
        });
        if (!payload.sub || !/^[0-9a-f]{24}$/.test(payload.sub) || payload.exp === undefined) {
          throw new AppError('UNAUTHORIZED', 'A valid access token is required');
        }
        return { userId: payload.sub, expiresAt: new Date(payload.exp * 1000) };
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
