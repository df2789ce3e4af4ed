import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../lib/AppError.js';
import type { Budgets } from '../lib/budgets.js';
import type { Logger } from '../lib/logger.js';
import type { UserLanes } from '../lib/userLanes.js';
import { callerId } from './authenticate.js';

/**
 * Charges the caller's REST budget (one door for every authenticated route, ADR 0021); goes after
 * requireAuth, so the key is the verified user id. Over budget: 429 RATE_LIMITED with Retry-After.
 * Within it, the request waits for a place in the caller's lane (`lanes`: how many of one user's
 * requests run at once); the response ending, or the connection closing, frees the place. What
 * waits is bounded by the budget's burst.
 */
export function restBudget(budgets: Budgets, lanes: UserLanes) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const verdict = await budgets.take(callerId(req), 'rest').catch((error: unknown) => {
      // A budget that cannot be read lets the request in: limits must not become the outage.
      (req as { log?: Logger }).log?.warn({ err: error }, 'could not charge a budget; letting the request in');
      return { allowed: true } as const;
    });
    if (!verdict.allowed) {
      const retryAfterSeconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
      throw new AppError('RATE_LIMITED', 'Too many requests; slow down a little', { retryAfterMs: verdict.retryAfterMs }, retryAfterSeconds);
    }
    const leave = lanes.enter(callerId(req), () => next());
    res.once('finish', leave);
    res.once('close', leave);
  };
}
