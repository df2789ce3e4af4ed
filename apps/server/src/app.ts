import { existsSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import path from 'node:path';
import cookieParser from 'cookie-parser';
import express from 'express';
import helmet from 'helmet';
import type { Connection } from 'mongoose';
import type { Store } from 'express-rate-limit';
import { API_PREFIX } from '@parley/protocol';
import type { SocketAdapter } from './cluster/socketAdapter.js';
import type { AppConfig } from './config.js';
import type { Feature, FeatureContext } from './features/feature.js';
import {
  createSessionRevocations,
  createSessionsRepository,
  InMemoryRevokedSessions,
  mountAuth,
  type LoginThrottle,
  type RevokedSessions,
} from './features/auth/index.js';
import { createAccessTokens } from './features/auth/tokens.js';
import { mountMessages } from './features/messages/index.js';
import { mountPresence } from './features/presence/index.js';
import type { PresenceStore } from './features/presence/presence.store.js';
import { observeDatabase } from './features/observability/databaseMetrics.js';
import { metricsRoute } from './features/observability/metrics.routes.js';
import { createPrometheusMetrics, type PrometheusMetrics } from './features/observability/prometheusMetrics.js';
import { createSocketObserver } from './features/observability/socketObservability.js';
import { mountUsers } from './features/users/index.js';
import { requireAuth } from './http/authenticate.js';
import { errorHandler, notFoundHandler } from './http/errorHandler.js';
import { databaseCheck, healthRoutes, type ReadinessCheck } from './http/health.js';
import { compileTrust } from './http/origin.js';
import { requestLogger, requestMetrics } from './http/requestLogging.js';
import { restBudget } from './http/restBudget.js';
import { memoryBudgets, type Budgets } from './lib/budgets.js';
import { InFlight } from './lib/inFlight.js';
import type { AppLogger } from './lib/logger.js';
import { chargeEvents, QueuedPerUser } from './socket/eventBudget.js';
import { REST_LANE_WIDTH, SOCKET_LANE_WIDTH, UserLanes } from './lib/userLanes.js';
import { limitSocketsPerUser } from './socket/socketCap.js';
import { createSocketServer } from './socket/socketServer.js';
import type { AppServer } from './socket/types.js';

export const JSON_BODY_LIMIT = '16kb';
/** A readiness probe answers within this even when a dependency hangs. */
const READINESS_CHECK_TIMEOUT_MS = 2000;

export interface AppDeps {
  config: AppConfig;
  /** An open mongoose connection; the app never opens or picks a database itself. */
  db: Connection;
  /** Where presence state lives; in this process's memory when not given. */
  presenceStore?: PresenceStore;
  /** Ended sessions whose access tokens may still be alive; in memory unless given (ADR 0013). */
  revokedSessions?: RevokedSessions;
  /** Failed sign-ins per username; in memory unless given. */
  loginThrottle?: LoginThrottle;
  /** Where the per-address sign-in limits count; in memory unless given (Redis with several nodes). */
  rateLimitStore?: (name: string) => Store;
  /** Per-user budgets at every door (ADR 0021); in memory from `config.budgets` unless given (Redis with several nodes). */
  budgets?: Budgets;
  logger: AppLogger;
  /** This app's metrics on a registry of its own; a new one when not given. */
  metrics?: PrometheusMetrics;
  /** Several nodes: Socket.IO fan-out through Redis (cluster/). One process when absent. */
  socketAdapter?: SocketAdapter;
  /** What readiness checks besides the database (Redis with several nodes). */
  readinessChecks?: readonly ReadinessCheck[];
}

export interface ParleyApp {
  httpServer: HttpServer;
  /** The Express app on it (Socket.IO takes over the server's request listener, so it is kept here). */
  express: express.Express;
  io: AppServer;
  metrics: PrometheusMetrics;
  /**
   * Tells presence again about every socket connected to this process (several nodes: after the
   * shared store lost them, see cluster/). Users who had gone offline are announced online.
   */
  registerSocketsAgain(): Promise<void>;
  /** Graceful stop: refuse new work, let in-flight sends finish and ack, close every socket. */
  close(): Promise<void>;
}

/**
 * Builds the whole server from injected config and stores. It never listens: main.ts does.
 * Order: HTTP and Socket.IO servers first, then each feature mounts its routes and socket
 * handlers; features get what they need from each other as arguments, never by import.
 */
export function createApp({
  config,
  db,
  presenceStore,
  revokedSessions,
  loginThrottle,
  rateLimitStore,
  budgets = memoryBudgets(config.budgets),
  logger,
  metrics = createPrometheusMetrics(),
  socketAdapter,
  readinessChecks = [],
}: AppDeps): ParleyApp {
  const app = express();
  const httpServer = createServer(app);
  const accessTokens = createAccessTokens(config.jwt);
  const socketObserver = createSocketObserver({ metrics, logger });
  // Ended sessions: refused by every request and handshake without a database read (ADR 0013).
  const revocations = createSessionRevocations({
    store: revokedSessions ?? new InMemoryRevokedSessions(),
    sessions: createSessionsRepository(db),
    accessTokenTtlMs: config.jwt.accessTtlSeconds * 1000,
    logger,
  });
  const io = createSocketServer(httpServer, {
    allowedOrigins: config.allowedOrigins,
    accessTokens,
    isSessionRevoked: revocations.isRevoked,
    trustProxy: compileTrust(config.trustProxy),
    minClientProtocolVersion: config.minClientProtocolVersion,
    onRefused: socketObserver.refused,
    adapter: socketAdapter,
  });
  // Before the features' connection listeners: counts and logs each socket, watches its emits.
  socketObserver.watch(io);
  const stopObservingDatabase = observeDatabase(db, metrics);
  // Every authenticated route spends the caller's REST budget: the two go together, so no route
  // can have one without the other (a Router is a handler; it runs both, then hands on).
  const authenticated = express.Router().use(requireAuth(accessTokens, revocations.isRevoked), restBudget(budgets, new UserLanes(REST_LANE_WIDTH)));
  const queuedPerUser = new QueuedPerUser(config.maxQueuedPerUser);
  const userLanes = new UserLanes(SOCKET_LANE_WIDTH);

  /** Shutdown has begun: readiness answers 503 (the server still works until `closing`). */
  let draining = false;
  let closing = false;
  const ctx: FeatureContext = { config, db, io, logger, metrics, inFlight: new InFlight(), isClosing: () => closing };
  metrics.watchQueue('acked_events_in_flight', () => ctx.inFlight.size);
  // Presence and messages need each other at run time (partners to watch; a first message makes
  // partners), so each gets a function of the other, called only once sockets connect.
  const presence = mountPresence(ctx, {
    store: presenceStore,
    partnersOf: (userId, limit) => messages.service.partnersOf(userId, limit),
    isSessionEnded: revocations.isRevoked,
  });
  // After the token check, which it needs: it refuses a user's socket beyond MAX_SOCKETS_PER_USER.
  limitSocketsPerUser(io, presence.service, logger);
  const messages = mountMessages(ctx, {
    authenticated,
    conversationStarted: (a, b) => presence.service.startWatching(a, b),
  });
  const features: Feature[] = [
    mountAuth(ctx, { accessTokens, revocations, authenticated, loginThrottle, rateLimitStore }),
    mountUsers(ctx, { presence: presence.service, authenticated }),
    messages,
    // Last to close: a send being drained may still need to know who is online.
    presence,
  ];

  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(requestLogger(logger), requestMetrics(metrics));
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

  if (config.metricsToken) app.get('/metrics', metricsRoute(metrics, config.metricsToken));

  const api = express.Router();
  // API answers are per-user and short-lived: no browser or proxy cache keeps them.
  api.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  api.use(healthRoutes({ checks: [databaseCheck(db), ...readinessChecks], isDraining: () => draining, checkTimeoutMs: READINESS_CHECK_TIMEOUT_MS }));
  for (const feature of features) if (feature.routes) api.use(feature.routes);
  api.use(notFoundHandler);
  app.use(API_PREFIX, api);

  if (config.webDistDir && existsSync(config.webDistDir)) serveSpa(app, config.webDistDir);
  app.use(errorHandler(logger, metrics));

  io.on('connection', (socket) => {
    chargeEvents(socket, { budgets, queued: queuedPerUser, lanes: userLanes, metrics, logger });
    for (const feature of features) feature.onConnection?.(socket);
  });

  return {
    httpServer,
    express: app,
    io,
    metrics,
    async registerSocketsAgain() {
      const sockets = [...io.of('/').sockets.values()];
      await Promise.all(sockets.map((socket) => presence.service.connect(socket.data.userId, socket.id)));
    },
    async close() {
      // Out of rotation first: readiness fails while everything still works, so the load
      // balancer stops sending. Then stop taking new connections and new work; finish what is
      // under way; then let sockets go.
      draining = true;
      if (config.shutdownDrainDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, config.shutdownDrainDelayMs));
      closing = true;
      httpServer.close();
      await ctx.inFlight.drain(config.shutdownTimeoutMs);
      for (const feature of features) await feature.close?.();
      io.disconnectSockets(true);
      // A moment for the disconnect packets to leave before the connections are torn down below.
      await new Promise((resolve) => setTimeout(resolve, 50));
      await io.close();
      httpServer.closeAllConnections();
      stopObservingDatabase();
    },
  };
}

/** Production: the built web app on the same origin; unknown paths fall back to index.html. */
/**
 * The built web app, with history fallback (contract v2 "Web addresses"): every GET outside
 * /api and /socket.io that asks for HTML gets index.html, so a reload or a shared link of
 * /chat/<username> opens the app there. Anything else that matches no file stays a 404: a
 * missing script or image must not come back as a page.
 */
function serveSpa(app: express.Express, webDistDir: string): void {
  const root = path.resolve(webDistDir);
  app.use(express.static(root, { index: false, maxAge: '1h' }));
  app.get(/^(?!\/api(\/|$)|\/socket\.io(\/|$)).*/, (req, res, next) => {
    // The root is the app's own address; elsewhere only a request that names HTML (a browser
    // navigating) gets the page: "*/*" alone (a script, a missing asset) gets a 404.
    const asksForHtml = req.headers.accept?.includes('text/html') === true && req.accepts('html') !== false;
    if (req.path !== '/' && !asksForHtml) return next();
    // The page itself is never cached: a new deploy's script names must be picked up at once.
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(path.join(root, 'index.html'));
  });
}
