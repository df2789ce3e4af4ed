import { Router, type CookieOptions, type Request, type RequestHandler, type Response } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import {
  ChangePasswordBodySchema,
  LoginBodySchema,
  REFRESH_COOKIE_NAME,
  REFRESH_COOKIE_PATH,
  RegisterBodySchema,
  SessionParamsSchema,
  type AuthResponse,
  type SessionsResponse,
} from '@parley/protocol';
import { AppError } from '../../lib/AppError.js';
import { parseInput } from '../../lib/validate.js';
import { callerId, callerSessionId } from '../../http/authenticate.js';
import { isAllowedOrigin, ownOriginOf } from '../../http/origin.js';
import type { AuthService, IssuedSession } from './auth.service.js';
import type { SessionsService } from './sessions.service.js';

interface AuthRoutesConfig {
  production: boolean;
  allowedOrigins: readonly string[];
  authRateLimit: { max: number; windowMs: number };
  refreshRateLimitMax: number;
}

interface AuthRoutesDeps {
  auth: AuthService;
  sessions: SessionsService;
  /** requireAuth: the session routes take the access token, not the cookie. */
  authenticated: RequestHandler;
  /** Where the per-address limits count, by limit name: this process's memory when absent, Redis with several nodes. */
  rateLimitStore?: ((name: string) => Store) | undefined;
}

function perAddressLimiter(windowMs: number, limit: number, store: Store | undefined): RequestHandler {
  return rateLimit({
    windowMs,
    limit,
    ...(store ? { store } : {}),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, _next, options) => {
      throw new AppError('RATE_LIMITED', 'Too many attempts; wait a minute and try again', undefined, Math.ceil(options.windowMs / 1000));
    },
  });
}

export function authRoutes({ auth, sessions, authenticated, rateLimitStore }: AuthRoutesDeps, config: AuthRoutesConfig): Router {
  const router = Router();
  const cookieOptions: CookieOptions = {
    httpOnly: true,
    sameSite: 'strict',
    secure: config.production,
    path: REFRESH_COOKIE_PATH,
  };
  const credentialLimiter = perAddressLimiter(config.authRateLimit.windowMs, config.authRateLimit.max, rateLimitStore?.('credentials'));
  const refreshLimiter = perAddressLimiter(config.authRateLimit.windowMs, config.refreshRateLimitMax, rateLimitStore?.('refresh'));

  function requireAllowedOrigin(req: Request): void {
    if (!isAllowedOrigin(req.get('origin'), ownOriginOf(req.protocol, req.get('host')), config.allowedOrigins)) {
      throw new AppError('ORIGIN_NOT_ALLOWED', 'This origin may not use the session cookie');
    }
  }

  function answerWithSession(res: Response, status: number, session: IssuedSession): void {
    res.cookie(REFRESH_COOKIE_NAME, session.refreshToken, {
      ...cookieOptions,
      expires: session.refreshExpiresAt,
    });
    const body: AuthResponse = { user: session.user, accessToken: session.accessToken };
    res.status(status).json(body);
  }

  function presentedRefreshToken(req: Request): string | undefined {
    const value: unknown = req.cookies?.[REFRESH_COOKIE_NAME];
    return typeof value === 'string' && value.length > 0 && value.length <= 256 ? value : undefined;
  }

  const userAgentOf = (req: Request) => req.get('user-agent') ?? null;

  router.post('/register', credentialLimiter, async (req, res) => {
    const body = parseInput(RegisterBodySchema, req.body);
    answerWithSession(res, 201, await auth.register(body, userAgentOf(req)));
  });

  router.post('/login', credentialLimiter, async (req, res) => {
    const body = parseInput(LoginBodySchema, req.body);
    answerWithSession(res, 200, await auth.login(body, userAgentOf(req)));
  });

  router.post('/refresh', refreshLimiter, async (req, res) => {
    requireAllowedOrigin(req);
    try {
      answerWithSession(res, 200, await auth.refresh(presentedRefreshToken(req)));
    } catch (error) {
      if (error instanceof AppError && error.code === 'UNAUTHORIZED') res.clearCookie(REFRESH_COOKIE_NAME, cookieOptions);
      throw error;
    }
  });

  router.post('/logout', async (req, res) => {
    requireAllowedOrigin(req);
    await auth.logout(presentedRefreshToken(req));
    res.clearCookie(REFRESH_COOKIE_NAME, cookieOptions);
    res.status(204).end();
  });

  // ---- v2: sessions and the account (access token, not the cookie) ----------------------------

  router.get('/sessions', authenticated, async (req, res) => {
    const body: SessionsResponse = { sessions: await sessions.list(callerId(req), callerSessionId(req)) };
    res.json(body);
  });

  router.delete('/sessions/:id', authenticated, async (req, res) => {
    const { id } = parseInput(SessionParamsSchema, req.params);
    await sessions.endOwn(callerId(req), id);
    if (id === callerSessionId(req)) res.clearCookie(REFRESH_COOKIE_NAME, cookieOptions);
    res.status(204).end();
  });

  router.post('/logout-all', authenticated, async (req, res) => {
    await sessions.endAll(callerId(req));
    res.clearCookie(REFRESH_COOKIE_NAME, cookieOptions);
    res.status(204).end();
  });

  router.post('/password', authenticated, credentialLimiter, async (req, res) => {
    const body = parseInput(ChangePasswordBodySchema, req.body);
    await auth.changePassword(callerId(req), callerSessionId(req), body);
    res.status(204).end();
  });

  return router;
}
