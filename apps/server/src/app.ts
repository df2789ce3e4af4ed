import { existsSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import path from 'node:path';
import cookieParser from 'cookie-parser';
import express from 'express';
import helmet from 'helmet';
import type { Connection } from 'mongoose';
import { API_PREFIX, type HealthResponse } from '@parley/protocol';
import type { SocketAdapter } from './cluster/socketAdapter.js';
import type { AppConfig } from './config.js';
import type { Feature, FeatureContext } from './features/feature.js';
import { mountAuth } from './features/auth/index.js';
import { createAccessTokens } from './features/auth/tokens.js';
import { mountMessages } from './features/messages/index.js';
import { mountPresence } from './features/presence/index.js';
import type { PresenceStore } from './features/presence/presence.store.js';
import { mountUsers } from './features/users/index.js';
import { requireAuth } from './http/authenticate.js';
import { errorHandler, notFoundHandler } from './http/errorHandler.js';
import { AppError } from './lib/AppError.js';
import { InFlight } from './lib/inFlight.js';
import type { Logger } from './lib/logger.js';
import { createSocketServer } from './socket/socketServer.js';
import type { AppServer } from './socket/types.js';

export const JSON_BODY_LIMIT = '16kb';

export interface AppDeps {
  config: AppConfig;
  /** An open mongoose connection; the app never opens or picks a database itself. */
  db: Connection;
  presenceStore: PresenceStore;
  logger: Logger;
  /** Several nodes: Socket.IO fan-out through Redis (cluster/). One process when absent. */
  socketAdapter?: SocketAdapter;
}

export interface ParleyApp {
  httpServer: HttpServer;
  io: AppServer;
  /** Graceful stop: refuse new work, let in-flight sends finish and ack, close every socket. */
  close(): Promise<void>;
}

/**
 * Builds the whole server from injected config and stores. It never listens: main.ts does.
 * Order: HTTP and Socket.IO servers first, then each feature mounts its routes and socket
 * handlers; features get what they need from each other as arguments, never by import.
 */
export function createApp({ config, db, presenceStore, logger, socketAdapter }: AppDeps): ParleyApp {
  const app = express();
  const httpServer = createServer(app);
  const accessTokens = createAccessTokens(config.jwt);
  const io = createSocketServer(httpServer, {
    allowedOrigins: config.allowedOrigins,
    accessTokens,
    minClientProtocolVersion: config.minClientProtocolVersion,
    adapter: socketAdapter,
  });
  const authenticated = requireAuth(accessTokens);

  let closing = false;
  const ctx: FeatureContext = { config, db, io, logger, inFlight: new InFlight(), isClosing: () => closing };
  const presence = mountPresence(ctx, presenceStore);
  const features: Feature[] = [
    mountAuth(ctx, accessTokens),
    mountUsers(ctx, { presence: presence.service, authenticated }),
    mountMessages(ctx, { authenticated }),
    // Last to close: a send being drained may still need to know who is online.
    presence,
  ];

  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(
    helmet({
      // Outside production the app is served over plain http (localhost, a LAN address).
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: config.production ? [] : null } },
    }),
  );
  app.use(express.json({ limit: JSON_BODY_LIMIT }));
  app.use(cookieParser());

  const api = express.Router();
  api.get('/health', healthCheck(db));
  for (const feature of features) if (feature.routes) api.use(feature.routes);
  api.use(notFoundHandler);
  app.use(API_PREFIX, api);

  if (config.webDistDir && existsSync(config.webDistDir)) serveSpa(app, config.webDistDir);
  app.use(errorHandler(logger));

  io.on('connection', (socket) => {
    for (const feature of features) feature.onConnection?.(socket);
  });

  return {
    httpServer,
    io,
    async close() {
      // Stop taking new connections and new work; finish what is under way; then let sockets go.
      closing = true;
      httpServer.close();
      await ctx.inFlight.drain(config.shutdownTimeoutMs);
      for (const feature of features) await feature.close?.();
      io.disconnectSockets(true);
      await io.close();
      httpServer.closeAllConnections();
    },
  };
}

function healthCheck(db: Connection): express.RequestHandler {
  return async (_req, res) => {
    try {
      await db.db?.admin().ping();
      const body: HealthResponse = { status: 'ok' };
      res.json(body);
    } catch {
      throw new AppError('STORE_UNAVAILABLE', 'The database is not answering');
    }
  };
}

/** Production: the built web app on the same origin; unknown paths fall back to index.html. */
function serveSpa(app: express.Express, webDistDir: string): void {
  const root = path.resolve(webDistDir);
  app.use(express.static(root, { index: false, maxAge: '1h' }));
  app.get(/^(?!\/api\/|\/socket\.io\/).*/, (_req, res) => {
    res.sendFile(path.join(root, 'index.html'));
  });
}
