import type { NextFunction, Request, Response } from 'express';
import type { AccessTokens } from '../features/auth/tokens.js';
import { AppError } from '../lib/AppError.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express's own extension point
  namespace Express {
    interface Request {
      /** Set by requireAuth from the verified access token: the only identity routes trust. */
      userId?: string;
      /** The session (sign-in) of that token: its `sid` claim. */
      sessionId?: string;
    }
  }
}

/** Whether a session was ended; answered without a database read (RevokedSessions). */
export type IsSessionRevoked = (sessionId: string) => Promise<boolean>;

export function requireAuth(accessTokens: AccessTokens, isSessionRevoked: IsSessionRevoked) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const header = req.get('authorization');
    const match = header ? /^Bearer (\S+)$/.exec(header) : null;
    if (!match) throw new AppError('UNAUTHORIZED', 'A valid access token is required');
    const { userId, sessionId } = await accessTokens.verify(match[1]);
    if (await isSessionRevoked(sessionId)) throw new AppError('SESSION_REVOKED', 'This session has been signed out');
    req.userId = userId;
    req.sessionId = sessionId;
    next();
  };
}

/** The caller's id on a route behind requireAuth. */
export function callerId(req: Request): string {
  if (!req.userId) throw new AppError('UNAUTHORIZED', 'A valid access token is required');
  return req.userId;
}

/** The caller's session id on a route behind requireAuth. */
export function callerSessionId(req: Request): string {
  if (!req.sessionId) throw new AppError('UNAUTHORIZED', 'A valid access token is required');
  return req.sessionId;
}
