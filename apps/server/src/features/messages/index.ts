import type { RequestHandler } from 'express';
import { TokenBuckets } from '../../lib/tokenBucket.js';
import type { FeatureContext, Feature } from '../feature.js';
import { createUsersRepository } from '../users/users.repository.js';
import { createMessagesRepository } from './messages.repository.js';
import { messagesRoutes } from './messages.routes.js';
import { createMessagesService, type MessagesService } from './messages.service.js';
import { registerMessageHandlers } from './messages.socket.js';
import { registerTypingHandlers } from './typing.socket.js';

const TYPING_BURST = 10;

/** Sending, history, conversations, sync, receipts and typing. */
interface MessagesDeps {
  authenticated: RequestHandler;
  /** The first message between two people was stored: they become each other's presence watchers. */
  conversationStarted(a: string, b: string): Promise<void>;
}

export function mountMessages(ctx: FeatureContext, { authenticated, conversationStarted }: MessagesDeps): Feature & { service: MessagesService } {
  const { config, io, logger, metrics, inFlight, isClosing } = ctx;
  const service = createMessagesService({
    messages: createMessagesRepository(ctx.db),
    users: createUsersRepository(ctx.db),
    sendRate: config.sendRate,
    metrics,
  });
  const typingBuckets = new TokenBuckets(config.typingRatePerSecond, TYPING_BURST);
  return {
    service,
    routes: messagesRoutes(service, authenticated),
    onConnection(socket) {
      registerMessageHandlers(socket, { io, messages: service, inFlight, logger, metrics, isClosing, conversationStarted });
      registerTypingHandlers(socket, typingBuckets, metrics);
    },
    close: () => service.drain(),
  };
}
