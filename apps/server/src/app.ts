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
import { createMemoryLoginThrottle, type LoginThrottle } from './features/auth/loginThrottle.js';
import { createRefreshTokensRepository } from './features/auth/refreshTokens.repository.js';
import { InMemoryRevokedSessions, type RevokedSessions } from './features/auth/revokedSessions.js';
import { createSessionsRepository } from './features/auth/sessions.repository.js';
import { createSessionsService } from './features/auth/sessions.service.js';
import { createAccessTokens } from './features/auth/tokens.js';
import { messagesRoutes } from './features/messages/messages.routes.js';
import { createMessagesRepository } from './features/messages/messages.repository.js';
import { createMessagesService } from './features/messages/messages.service.js';
import { registerMessageHandlers } from './features/messages/messages.socket.js';
import { registerTypingHandlers } from './features/messages/typing.socket.js';
import { createPresenceService } from './features/presence/presence.service.js';
import { socketPresenceAnnouncer, trackPresence } from './features/presence/presence.socket.js';
import type { PresenceStore } from './features/presence/presence.store.js';
import { createUsersRepository } from './features/users/users.repository.js';
import { usersRoutes } from './features/users/users.routes.js';
import { createUsersService } from './features/users/users.service.js';
import { requireAuth } from './http/authenticate.js';
import { errorHandler, notFoundHandler } from './http/errorHandler.js';
import { compileTrust } from './http/origin.js';
import { AppError } from './lib/AppError.js';
import { InFlight } from './lib/inFlight.js';
import type { Logger } from './lib/logger.js';
import { TokenBuckets } from './lib/tokenBucket.js';
import { createSocketServer, socketSessionAnnouncer } from './socket/socketServer.js';
import type { AppServer } from './socket/types.js';

export const JSON_BODY_LIMIT = '16kb';
const TYPING_BURST = 10;

export interface AppDeps {
  config: AppConfig;
  /** An open mongoose connection; the app never opens or picks a database itself. */
  db: Connection;
  presenceStore: PresenceStore;
  /** Ended sessions whose access tokens may still be alive; in memory unless given (ADR 0013). */
  revokedSessions?: RevokedSessions;
  /** Failed sign-ins per username; in memory unless given. */
  loginThrottle?: LoginThrottle;
  logger: Logger;
}

export interface ParleyApp {
  httpServer: HttpServer;
  io: AppServer;
  /** Graceful stop: refuse new work, let in-flight sends finish and ack, close every socket. */
  close(): Promise<void>;
}

/** Builds the whole server from injected config and stores. It never listens: main.ts does. */
export function createApp({ config, db, presenceStore, revokedSessions, loginThrottle, logger }: AppDeps): ParleyApp {
  const accessTokens = createAccessTokens(config.jwt);
  const usersRepository = createUsersRepository(db);
  const inFlight = new InFlight();
  let closing = false;

  const app = express();
  const httpServer = createServer(app);

  let io: AppServer | undefined;
  const socketServer = () => {
    if (!io) throw new Error('Socket.IO is not ready');
    return io;
  };
  const presence = createPresenceService({
    store: presenceStore,
    announcer: socketPresenceAnnouncer(socketServer),
    graceMs: config.presenceGraceMs,
    recordLastSeen: (userId, at) => usersRepository.setLastSeen(userId, at),
    logger,
  });
  const sessions = createSessionsService({
    sessions: createSessionsRepository(db),
    revoked: revokedSessions ?? new InMemoryRevokedSessions(),
    announcer: socketSessionAnnouncer(socketServer),
    accessTokenTtlMs: config.jwt.accessTtlSeconds * 1000,
    logger,
  });
  const auth = createAuthService({
    users: usersRepository,
    refreshTokens: createRefreshTokensRepository(db),
    sessions,
    accessTokens,
    loginThrottle: loginThrottle ?? createMemoryLoginThrottle(config.loginThrottle),
    refreshTokenTtlMs: config.refreshTokenTtlMs,
    sessionMaxAgeMs: config.sessionMaxAgeMs,
  });
  const usersService = createUsersService({ users: usersRepository, presence });
  const messagesService = createMessagesService({
    messages: createMessagesRepository(db),
    users: usersRepository,
    sendRate: config.sendRate,
  });
  const typingBuckets = new TokenBuckets(config.typingRatePerSecond, TYPING_BURST);

  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(
    helmet({
      // Outside production the app is served over plain http (localhost, a LAN address).
      // No 'unsafe-inline' styles: the built app has only stylesheet files (React style props are DOM properties).
      contentSecurityPolicy: {
        directives: { styleSrc: ["'self'"], upgradeInsecureRequests: config.production ? [] : null },
      },
    }),
  );
  app.use(express.json({ limit: JSON_BODY_LIMIT }));
  app.use(cookieParser());

  const api = express.Router();
  // API answers are per-user and short-lived: no browser or proxy cache keeps them.
  api.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  api.get('/health', async (_req, res) => {
    try {
      await db.db?.admin().ping();
      const body: HealthResponse = { status: 'ok' };
      res.json(body);
    } catch {
      throw new AppError('STORE_UNAVAILABLE', 'The database is not answering');
    }
  });
  const authenticated = requireAuth(accessTokens, sessions.isRevoked);
  api.use('/auth', authRoutes({ auth, sessions, authenticated }, config));
  api.use('/users', authenticated, usersRoutes(usersService));
  api.use(messagesRoutes(messagesService, authenticated));
  api.use(notFoundHandler);
  app.use(API_PREFIX, api);

  if (config.webDistDir && existsSync(config.webDistDir)) serveSpa(app, config.webDistDir);
  app.use(errorHandler(logger));

  io = createSocketServer(httpServer, {
    allowedOrigins: config.allowedOrigins,
    accessTokens,
    isSessionRevoked: sessions.isRevoked,
    trustProxy: compileTrust(config.trustProxy),
    onConnection(socket) {
      registerMessageHandlers(socket, { io: io!, messages: messagesService, inFlight, logger, isClosing: () => closing });
      registerTypingHandlers(socket, typingBuckets);
      void trackPresence(socket, presence, sessions.isRevoked).catch((error: unknown) =>
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
