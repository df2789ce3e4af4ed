import type { RequestHandler } from 'express';
import { TokenBuckets } from '../../lib/tokenBucket.js';
import type { FeatureContext, Feature } from '../feature.js';
import { createUsersRepository } from '../users/users.repository.js';
import { createMessageActionsService } from './messageActions.service.js';
import { registerMessageActionHandlers } from './messageActions.socket.js';
import { createMessagesRepository } from './messages.repository.js';
import { messagesRoutes } from './messages.routes.js';
import { createMessagesService } from './messages.service.js';
import { registerMessageHandlers } from './messages.socket.js';
import { registerTypingHandlers } from './typing.socket.js';

const TYPING_BURST = 10;

/** Sending, replies, edits and deletes, history, conversations, sync, receipts and typing. */
export function mountMessages(ctx: FeatureContext, { authenticated }: { authenticated: RequestHandler }): Feature {
  const { config, io, logger, metrics, inFlight, isClosing } = ctx;
  const messages = createMessagesRepository(ctx.db);
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
    routes: messagesRoutes(service, authenticated),
    onConnection(socket) {
      registerMessageHandlers(socket, { io, messages: service, inFlight, logger, metrics, isClosing });
      registerMessageActionHandlers(socket, { io, actions, inFlight, logger, metrics, isClosing });
      registerTypingHandlers(socket, typingBuckets, metrics);
    },
    close: async () => {
      await service.drain();
      await actions.drain();
    },
  };
}
