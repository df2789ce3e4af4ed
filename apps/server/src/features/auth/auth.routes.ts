import { Router, type CookieOptions, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import {
  LoginBodySchema,
  REFRESH_COOKIE_NAME,
  REFRESH_COOKIE_PATH,
  RegisterBodySchema,
  type AuthResponse,
} from '@parley/protocol';
import { AppError } from '../../lib/AppError.js';
import { parseInput } from '../../lib/validate.js';
import { isAllowedOrigin } from '../../http/origin.js';
import type { AuthService, Session } from './auth.service.js';

interface AuthRoutesConfig {
  production: boolean;
  allowedOrigins: readonly string[];
  authRateLimit: { max: number; windowMs: number };
}

export function authRoutes(auth: AuthService, config: AuthRoutesConfig): Router {
  const router = Router();

  const cookieOptions: CookieOptions = {
    httpOnly: true,
    sameSite: 'strict',
    secure: config.production,
    path: REFRESH_COOKIE_PATH,
  };

  const credentialLimiter = rateLimit({
    windowMs: config.authRateLimit.windowMs,
    limit: config.authRateLimit.max,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: () => {
      throw new AppError('RATE_LIMITED', 'Too many attempts; wait a minute and try again');
    },
  });

  function requireAllowedOrigin(req: Request): void {
    if (!isAllowedOrigin(req.get('origin'), req.get('host'), config.allowedOrigins)) {
      throw new AppError('ORIGIN_NOT_ALLOWED', 'This origin may not use the session cookie');
    }
  }

  function answerWithSession(res: Response, status: number, session: Session): void {
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

  router.post('/register', credentialLimiter, async (req, res) => {
    const body = parseInput(RegisterBodySchema, req.body);
    answerWithSession(res, 201, await auth.register(body));
  });

  router.post('/login', credentialLimiter, async (req, res) => {
    const body = parseInput(LoginBodySchema, req.body);
    answerWithSession(res, 200, await auth.login(body));
  });

  router.post('/refresh', async (req, res) => {
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

  return router;
}
