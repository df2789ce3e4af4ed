import type { RequestHandler } from 'express';
import { TokenBuckets } from '../../lib/tokenBucket.js';
import type { FeatureContext, Feature } from '../feature.js';
import { createUsersRepository } from '../users/users.repository.js';
import { createMessagesRepository } from './messages.repository.js';
import { messagesRoutes } from './messages.routes.js';
import { createMessagesService } from './messages.service.js';
import { registerMessageHandlers } from './messages.socket.js';
import { registerTypingHandlers } from './typing.socket.js';

const TYPING_BURST = 10;

/** Sending, history, conversations, sync, receipts and typing. */
export function mountMessages(ctx: FeatureContext, { authenticated }: { authenticated: RequestHandler }): Feature {
  const { config, io, logger, metrics, inFlight, isClosing } = ctx;
  const service = createMessagesService({
    messages: createMessagesRepository(ctx.db),
    users: createUsersRepository(ctx.db),
    sendRate: config.sendRate,
    metrics,
  });
  const typingBuckets = new TokenBuckets(config.typingRatePerSecond, TYPING_BURST);
  return {
    routes: messagesRoutes(service, authenticated),
    onConnection(socket) {
      registerMessageHandlers(socket, { io, messages: service, inFlight, logger, metrics, isClosing });
      registerTypingHandlers(socket, typingBuckets, metrics);
    },
    close: () => service.drain(),
  };
}
