import { Router } from 'express';
import { UpdateMeBodySchema, UsersQuerySchema, type MeResponse, type UsersResponse } from '@parley/protocol';
import { callerId } from '../../http/authenticate.js';
import { parseInput } from '../../lib/validate.js';
import type { UsersService } from './users.service.js';

/** Mounted at /api/users behind requireAuth. */
export function usersRoutes(usersService: UsersService): Router {
  const router = Router();

  router.get('/me', async (req, res) => {
    const body: MeResponse = { user: await usersService.getMe(callerId(req)) };
    res.json(body);
  });

  router.patch('/me', async (req, res) => {
    const changes = parseInput(UpdateMeBodySchema, req.body);
    const body: MeResponse = { user: await usersService.updateMe(callerId(req), changes) };
    res.json(body);
  });

  router.get('/', async (req, res) => {
    const { q } = parseInput(UsersQuerySchema, req.query);
    const body: UsersResponse = { users: await usersService.list(callerId(req), q || undefined) };
    res.json(body);
  });

  return router;
}
