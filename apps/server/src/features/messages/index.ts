import type { RequestHandler } from 'express';
import { TokenBuckets } from '../../lib/tokenBucket.js';
import type { FeatureContext, Feature } from '../feature.js';
import { createUsersRepository } from '../users/users.repository.js';
import { createMessageActionsService } from './messageActions.service.js';
import { registerMessageActionHandlers } from './messageActions.socket.js';
import { messagesRoutes } from './messages.routes.js';
import { createMessagesService, type MessagesService } from './messages.service.js';
import { registerMessageHandlers } from './messages.socket.js';
import { createMongoMessageStore } from './store/mongoMessageStore.js';
import { registerTypingHandlers } from './typing.socket.js';

const TYPING_BURST = 10;

interface MessagesDeps {
  authenticated: RequestHandler;
  /** The first message between two people was stored: they become each other's presence watchers. */
  conversationStarted(a: string, b: string): Promise<void>;
}

/** Sending, replies, edits and deletes, history, conversations, sync, receipts and typing. */
export function mountMessages(ctx: FeatureContext, { authenticated, conversationStarted }: MessagesDeps): Feature & { service: MessagesService } {
  const { config, io, logger, metrics, inFlight, isClosing } = ctx;
  const messages = createMongoMessageStore(ctx.db, { log: (line) => logger.warn({}, line) });
  // Edits and deletes spend a bucket of their own, as large as the send bucket.
  const actions = createMessageActionsService({ messages, rate: config.sendRate });
  const service = createMessagesService({
    messages,
    users: createUsersRepository(ctx.db),
    sendRate: config.sendRate,
    replies: actions,
    metrics,
  });
  const typingBuckets = new TokenBuckets(config.typingRatePerSecond, TYPING_BURST);
  return {
    service,
    routes: messagesRoutes(service, authenticated),
    onConnection(socket) {
      registerMessageHandlers(socket, { io, messages: service, inFlight, logger, metrics, isClosing, conversationStarted });
      registerMessageActionHandlers(socket, { io, actions, inFlight, logger, metrics, isClosing });
      registerTypingHandlers(socket, typingBuckets, metrics);
    },
    close: async () => {
      await service.drain();
      await actions.drain();
      await messages.close();
    },
  };
}
