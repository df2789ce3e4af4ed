import { existsSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import path from 'node:path';
import cookieParser from 'cookie-parser';
import express from 'express';
import helmet from 'helmet';
import type { Connection } from 'mongoose';
import { API_PREFIX } from '@parley/protocol';
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
import type { PresenceStore } from './features/presence/presence.store.js';
import { createUsersRepository } from './features/users/users.repository.js';
import { observeDatabase } from './features/observability/databaseMetrics.js';
import { metricsRoute } from './features/observability/metrics.routes.js';
import { createPrometheusMetrics, type PrometheusMetrics } from './features/observability/prometheusMetrics.js';
import { createSocketObserver } from './features/observability/socketObservability.js';
import { usersRoutes } from './features/users/users.routes.js';
import { createUsersService } from './features/users/users.service.js';
import { requireAuth } from './http/authenticate.js';
import { errorHandler, notFoundHandler } from './http/errorHandler.js';
import { databaseCheck, healthRoutes } from './http/health.js';
import { requestLogger, requestMetrics } from './http/requestLogging.js';
import { InFlight } from './lib/inFlight.js';
import type { AppLogger } from './lib/logger.js';
import { TokenBuckets } from './lib/tokenBucket.js';
import { createSocketServer } from './socket/socketServer.js';
import type { AppServer } from './socket/types.js';

export const JSON_BODY_LIMIT = '16kb';
const TYPING_BURST = 10;
/** A readiness probe answers within this even when a dependency hangs. */
const READINESS_CHECK_TIMEOUT_MS = 2000;

export interface AppDeps {
  config: AppConfig;
  /** An open mongoose connection; the app never opens or picks a database itself. */
  db: Connection;
  presenceStore: PresenceStore;
  logger: AppLogger;
  /** This app's metrics on a registry of its own; a new one when not given. */
  metrics?: PrometheusMetrics;
}

export interface ParleyApp {
  httpServer: HttpServer;
  io: AppServer;
  metrics: PrometheusMetrics;
  /** Graceful stop: refuse new work, let in-flight sends finish and ack, close every socket. */
  close(): Promise<void>;
}

/** Builds the whole server from injected config and stores. It never listens: main.ts does. */
export function createApp({ config, db, presenceStore, logger, metrics = createPrometheusMetrics() }: AppDeps): ParleyApp {
  const accessTokens = createAccessTokens(config.jwt);
  const usersRepository = createUsersRepository(db);
  const inFlight = new InFlight();
  metrics.watchQueue('acked_events_in_flight', () => inFlight.size);
  const stopObservingDatabase = observeDatabase(db, metrics);
  /** Shutdown has begun: readiness answers 503 (the server still works until `closing`). */
  let draining = false;
  let closing = false;

  const app = express();
  const httpServer = createServer(app);

  let io: AppServer | undefined;
  const presence = createPresenceService({
    store: presenceStore,
    announcer: socketPresenceAnnouncer(() => {
      if (!io) throw new Error('Socket.IO is not ready');
      return io;
    }),
    graceMs: config.presenceGraceMs,
    recordLastSeen: (userId, at) => usersRepository.setLastSeen(userId, at),
    logger,
    metrics,
  });
  const auth = createAuthService({
    users: usersRepository,
    refreshTokens: createRefreshTokensRepository(db),
    accessTokens,
    refreshTokenTtlMs: config.refreshTokenTtlMs,
  });
  const usersService = createUsersService({ users: usersRepository, presence });
  const messagesService = createMessagesService({
    messages: createMessagesRepository(db),
    users: usersRepository,
    sendRate: config.sendRate,
    metrics,
  });
  const typingBuckets = new TokenBuckets(config.typingRatePerSecond, TYPING_BURST);

  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(requestLogger(logger), requestMetrics(metrics));
  app.use(
    helmet({
      // Outside production the app is served over plain http (localhost, a LAN address).
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: config.production ? [] : null } },
    }),
  );
  app.use(express.json({ limit: JSON_BODY_LIMIT }));
  app.use(cookieParser());

  if (config.metricsToken) app.get('/metrics', metricsRoute(metrics, config.metricsToken));

  const api = express.Router();
  api.use(healthRoutes({ checks: [databaseCheck(db)], isDraining: () => draining, checkTimeoutMs: READINESS_CHECK_TIMEOUT_MS }));
  api.use('/auth', authRoutes(auth, config));
  const authenticated = requireAuth(accessTokens);
  api.use('/users', authenticated, usersRoutes(usersService));
  api.use(messagesRoutes(messagesService, authenticated));
  api.use(notFoundHandler);
  app.use(API_PREFIX, api);

  if (config.webDistDir && existsSync(config.webDistDir)) serveSpa(app, config.webDistDir);
  app.use(errorHandler(logger, metrics));

  const socketObserver = createSocketObserver({ metrics, logger });
  io = createSocketServer(httpServer, {
    allowedOrigins: config.allowedOrigins,
    accessTokens,
    onRefused: socketObserver.refused,
    onConnection(socket) {
      registerMessageHandlers(socket, { io: io!, messages: messagesService, inFlight, logger, metrics, isClosing: () => closing });
      registerTypingHandlers(socket, typingBuckets, metrics);
      void trackPresence(socket, presence).catch((error: unknown) =>
        logger.error({ err: error }, 'presence tracking failed'),
      );
    },
  });
  const sockets = io;
  socketObserver.watch(sockets);

  return {
    httpServer,
    io: sockets,
    metrics,
    async close() {
      // Out of rotation first: readiness fails while everything still works, so the load
      // balancer stops sending. Then stop taking new connections and new work; finish what is
      // under way; then let sockets go.
      draining = true;
      if (config.shutdownDrainDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, config.shutdownDrainDelayMs));
      closing = true;
      httpServer.close();
      await inFlight.drain(config.shutdownTimeoutMs);
      await messagesService.drain();
      await presence.close();
      sockets.disconnectSockets(true);
      await sockets.close();
      httpServer.closeAllConnections();
      stopObservingDatabase();
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
