import { existsSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import path from 'node:path';
import cookieParser from 'cookie-parser';
import express from 'express';
import helmet from 'helmet';
import type { Connection } from 'mongoose';
import { API_PREFIX, type HealthResponse } from '@parley/protocol';
import type { AppConfig } from './config.js';
import { authRoutes } from './features/auth/auth.routes.js';
import { createAuthService } from './features/auth/auth.service.js';
import { createRefreshTokensRepository } from './features/auth/refreshTokens.repository.js';
import { createAccessTokens } from './features/auth/tokens.js';
import { messagesRoutes } from './features/messages/messages.routes.js';
import { createMessagesRepository } from './features/messages/messages.repository.js';
import { createMessagesService } from './features/messages/messages.service.js';
import { registerMessageHandlers } from './features/messages/messages.socket.js';
import { registerTypingHandlers } from './features/messages/typing.socket.js';
import { createPresenceService } from './features/presence/presence.service.js';
import { socketPresenceAnnouncer, trackPresence } from './features/presence/presence.socket.js';
import { InMemoryPresenceStore, type PresenceStore } from './features/presence/presence.store.js';
import { createUsersRepository } from './features/users/users.repository.js';
import { usersRoutes } from './features/users/users.routes.js';
import { createUsersService } from './features/users/users.service.js';
import { requireAuth } from './http/authenticate.js';
import { errorHandler, notFoundHandler } from './http/errorHandler.js';
import { AppError } from './lib/AppError.js';
import { InFlight } from './lib/inFlight.js';
import type { Logger } from './lib/logger.js';
import { TokenBuckets } from './lib/tokenBucket.js';
import { createSocketServer } from './socket/socketServer.js';
import type { AppServer } from './socket/types.js';

export const JSON_BODY_LIMIT = '16kb';
const TYPING_BURST = 10;
/** presence_subscribe per user: a list scrolled by a person re-subscribes a few times a second at most. */
const PRESENCE_SUBSCRIBE_RATE = { perSecond: 5, burst: 10 };

export interface AppDeps {
  config: AppConfig;
  /** An open mongoose connection; the app never opens or picks a database itself. */
  db: Connection;
  /** Where presence state lives; in this process's memory when not given. */
  presenceStore?: PresenceStore;
  logger: Logger;
}

export interface ParleyApp {
  httpServer: HttpServer;
  io: AppServer;
  /** Graceful stop: refuse new work, let in-flight sends finish and ack, close every socket. */
  close(): Promise<void>;
}

/** Builds the whole server from injected config and stores. It never listens: main.ts does. */
export function createApp({ config, db, presenceStore, logger }: AppDeps): ParleyApp {
  const accessTokens = createAccessTokens(config.jwt);
  const usersRepository = createUsersRepository(db);
  const inFlight = new InFlight();
  let closing = false;

  const app = express();
  const httpServer = createServer(app);

  const messagesRepository = createMessagesRepository(db);

  let io: AppServer | undefined;
  const presence = createPresenceService({
    store: presenceStore ?? new InMemoryPresenceStore({ graceMs: config.presenceGraceMs }),
    announcer: socketPresenceAnnouncer(() => {
      if (!io) throw new Error('Socket.IO is not ready');
      return io;
    }),
    profiles: (ids) => usersRepository.presenceProfiles(ids),
    recordLastSeen: (userId, at) => usersRepository.setLastSeen(userId, at),
    partnersOf: (userId, limit) => messagesService.partnersOf(userId, limit),
    // A fifth of the grace period: offline is announced within 1.2 x grace.
    sweepEveryMs: Math.min(1000, Math.max(10, Math.floor(config.presenceGraceMs / 5))),
    logger,
  });
  const auth = createAuthService({
    users: usersRepository,
    refreshTokens: createRefreshTokensRepository(db),
    accessTokens,
    refreshTokenTtlMs: config.refreshTokenTtlMs,
  });
  const usersService = createUsersService({ users: usersRepository, presence });
  const messagesService = createMessagesService({
    messages: messagesRepository,
    users: usersRepository,
    sendRate: config.sendRate,
  });
  const typingBuckets = new TokenBuckets(config.typingRatePerSecond, TYPING_BURST);
  const subscribeBuckets = new TokenBuckets(PRESENCE_SUBSCRIBE_RATE.perSecond, PRESENCE_SUBSCRIBE_RATE.burst);

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
  api.get('/health', async (_req, res) => {
    try {
      await db.db?.admin().ping();
      const body: HealthResponse = { status: 'ok' };
      res.json(body);
    } catch {
      throw new AppError('STORE_UNAVAILABLE', 'The database is not answering');
    }
  });
  api.use('/auth', authRoutes(auth, config));
  const authenticated = requireAuth(accessTokens);
  api.use('/users', authenticated, usersRoutes(usersService));
  api.use(messagesRoutes(messagesService, authenticated));
  api.use(notFoundHandler);
  app.use(API_PREFIX, api);

  if (config.webDistDir && existsSync(config.webDistDir)) serveSpa(app, config.webDistDir);
  app.use(errorHandler(logger));

  io = createSocketServer(httpServer, {
    allowedOrigins: config.allowedOrigins,
    accessTokens,
    onConnection(socket) {
      registerMessageHandlers(socket, {
        io: io!,
        messages: messagesService,
        inFlight,
        logger,
        isClosing: () => closing,
        conversationStarted: (a, b) => presence.startWatching(a, b),
      });
      registerTypingHandlers(socket, typingBuckets);
      void trackPresence(socket, { presence, subscribeBuckets, logger }).catch((error: unknown) =>
        logger.error({ err: error }, 'presence tracking failed'),
      );
    },
  });
  const sockets = io;

  return {
    httpServer,
    io: sockets,
    async close() {
      // Stop taking new connections and new work; finish what is under way; then let sockets go.
      closing = true;
      httpServer.close();
      await inFlight.drain(config.shutdownTimeoutMs);
      await messagesService.drain();
      await presence.close();
      sockets.disconnectSockets(true);
      await sockets.close();
      httpServer.closeAllConnections();
    },
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
