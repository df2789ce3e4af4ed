import { Router, type RequestHandler } from 'express';
import type { Store } from 'express-rate-limit';
import type { FeatureContext, Feature } from '../feature.js';
import { createUsersRepository } from '../users/users.repository.js';
import { authRoutes } from './auth.routes.js';
import { createAuthService } from './auth.service.js';
import { createMemoryLoginThrottle, type LoginThrottle } from './loginThrottle.js';
import { createRefreshTokensRepository } from './refreshTokens.repository.js';
import type { SessionRevocations } from './sessionRevocations.js';
import { createSessionsService } from './sessions.service.js';
import { closeIfSessionEnded, socketSessionAnnouncer } from './sessions.socket.js';
import { createSessionsRepository } from './sessions.repository.js';
import type { AccessTokens } from './tokens.js';

interface AuthDeps {
  /** Made by app.ts: the socket handshake needs them first. */
  accessTokens: AccessTokens;
  /** Made by app.ts: requireAuth and the handshake ask it on every request (ADR 0013). */
  revocations: SessionRevocations;
  authenticated: RequestHandler;
  /** Failed sign-ins per username; in memory unless given. */
  loginThrottle?: LoginThrottle | undefined;
  /** Where the per-address limits count; in memory unless given (Redis with several nodes). */
  rateLimitStore?: ((name: string) => Store) | undefined;
}

/** Register, login, refresh, logout, sessions and the password under /api/auth. */
export function mountAuth(ctx: FeatureContext, deps: AuthDeps): Feature {
  const { config, db, io } = ctx;
  const sessions = createSessionsService({
    sessions: createSessionsRepository(db),
    revocations: deps.revocations,
    announcer: socketSessionAnnouncer(io),
  });
  const auth = createAuthService({
    users: createUsersRepository(db),
    refreshTokens: createRefreshTokensRepository(db),
    sessions,
    accessTokens: deps.accessTokens,
    loginThrottle: deps.loginThrottle ?? createMemoryLoginThrottle(config.loginThrottle),
    refreshTokenTtlMs: config.refreshTokenTtlMs,
    sessionMaxAgeMs: config.sessionMaxAgeMs,
  });
  const routes = Router();
  routes.use('/auth', authRoutes({ auth, sessions, authenticated: deps.authenticated, rateLimitStore: deps.rateLimitStore }, config));
  return {
    routes,
    onConnection(socket) {
      void closeIfSessionEnded(socket, deps.revocations.isRevoked).catch((error: unknown) =>
        ctx.logger.error({ err: error }, 'session check after connection failed'),
      );
    },
  };
}

export { createSessionRevocations, type SessionRevocations } from './sessionRevocations.js';
export { createSessionsRepository } from './sessions.repository.js';
export { InMemoryRevokedSessions, type RevokedSessions } from './revokedSessions.js';
export type { LoginThrottle } from './loginThrottle.js';
