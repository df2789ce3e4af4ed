import { Router } from 'express';
import type { FeatureContext, Feature } from '../feature.js';
import { createUsersRepository } from '../users/users.repository.js';
import { authRoutes } from './auth.routes.js';
import { createAuthService } from './auth.service.js';
import { createRefreshTokensRepository } from './refreshTokens.repository.js';
import type { AccessTokens } from './tokens.js';

/** Register, login, refresh, logout under /api/auth. The access tokens are made by app.ts: the socket handshake needs them first. */
export function mountAuth(ctx: FeatureContext, accessTokens: AccessTokens): Feature {
  const auth = createAuthService({
    users: createUsersRepository(ctx.db),
    refreshTokens: createRefreshTokensRepository(ctx.db),
    accessTokens,
    refreshTokenTtlMs: ctx.config.refreshTokenTtlMs,
  });
  const routes = Router();
  routes.use('/auth', authRoutes(auth, ctx.config));
  return { routes };
}
