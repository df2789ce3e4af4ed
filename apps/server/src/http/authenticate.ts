import type { NextFunction, Request, Response } from 'express';
import type { AccessTokens } from '../features/auth/tokens.js';
import { AppError } from '../lib/AppError.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express's own extension point
  namespace Express {
    interface Request {
      /** Set by requireAuth from the verified access token: the only identity routes trust. */
      userId?: string;
    }
  }
}

export function requireAuth(accessTokens: AccessTokens) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const header = req.get('authorization');
    const match = header ? /^Bearer (\S+)$/.exec(header) : null;
    if (!match) throw new AppError('UNAUTHORIZED', 'A valid access token is required');
    const { userId } = await accessTokens.verify(match[1]);
    req.userId = userId;
    next();
  };
}

/** The caller's id on a route behind requireAuth. */
export function callerId(req: Request): string {
  if (!req.userId) throw new AppError('UNAUTHORIZED', 'A valid access token is required');
  return req.userId;
}
