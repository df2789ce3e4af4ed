import { Router } from 'express';
import type { Connection } from 'mongoose';
import type { HealthResponse } from '@parley/protocol';
import { AppError } from '../lib/AppError.js';

/** Something readiness depends on: the database; Redis once the server uses it. */
export interface ReadinessCheck {
  name: string;
  /** Resolves when the dependency answers; rejects (or times out) when it does not. */
  check(): Promise<void>;
}

export function databaseCheck(db: Connection): ReadinessCheck {
  return {
    name: 'database',
    async check() {
      if (!db.db) throw new Error('not connected');
      await db.db.admin().ping();
    },
  };
}

/** Redis, when several nodes share it (REDIS_URL): a node that cannot reach it is out of rotation. */
export function redisCheck(redis: { ping(): Promise<unknown> }): ReadinessCheck {
  return {
    name: 'redis',
    async check() {
      await redis.ping();
    },
  };
}

interface HealthDeps {
  checks: readonly ReadinessCheck[];
  /** True from the start of shutdown: the load balancer must stop sending before we stop serving. */
  isDraining(): boolean;
  /** A check slower than this counts as down (a probe must answer within its own timeout). */
  checkTimeoutMs: number;
}

type CheckState = 'up' | 'down';

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * GET /health       (contract, unchanged) { status: "ok" } when the database answers, else 503.
 * GET /health/live  the process answers: 200 { status: "ok" }, touching nothing else. A failing
 *                   dependency must not get the process restarted, only taken out of rotation.
 * GET /health/ready 200 { status: "ready", checks } when every dependency answers and the server
 *                   is not shutting down; else 503 { status: "not_ready", draining, checks }.
 */
export function healthRoutes({ checks, isDraining, checkTimeoutMs }: HealthDeps): Router {
  const router = Router();
  const database = checks.find((check) => check.name === 'database');

  router.get('/health', async (_req, res) => {
    try {
      await database?.check();
    } catch {
      throw new AppError('STORE_UNAVAILABLE', 'The database is not answering');
    }
    const body: HealthResponse = { status: 'ok' };
    res.json(body);
  });

  router.get('/health/live', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });

  router.get('/health/ready', async (_req, res) => {
    const states = await Promise.all(
      checks.map(async ({ name, check }): Promise<[string, CheckState]> => {
        try {
          await withTimeout(check(), checkTimeoutMs);
          return [name, 'up'];
        } catch {
          return [name, 'down'];
        }
      }),
    );
    const draining = isDraining();
    const ready = !draining && states.every(([, state]) => state === 'up');
    res
      .status(ready ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({ status: ready ? 'ready' : 'not_ready', draining, checks: Object.fromEntries(states) });
  });

  return router;
}
