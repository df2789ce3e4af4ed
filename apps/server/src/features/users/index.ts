import { Router, type RequestHandler } from 'express';
import type { FeatureContext, Feature } from '../feature.js';
import type { PresenceService } from '../presence/presence.service.js';
import { createUsersRepository } from './users.repository.js';
import { usersRoutes } from './users.routes.js';
import { createUsersService } from './users.service.js';

interface UsersDeps {
  /** Online state for the directory rows. */
  presence: PresenceService;
  authenticated: RequestHandler;
}

/** The user directory and the caller's own profile under /api/users. */
export function mountUsers(ctx: FeatureContext, { presence, authenticated }: UsersDeps): Feature {
  const service = createUsersService({ users: createUsersRepository(ctx.db), presence });
  const routes = Router();
  routes.use('/users', authenticated, usersRoutes(service));
  return { routes };
}
