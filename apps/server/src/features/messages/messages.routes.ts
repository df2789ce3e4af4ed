import { Router, type RequestHandler } from 'express';
import {
  ConversationsQuerySchema,
  MessageSearchQuerySchema,
  MessagesParamsSchema,
  type MessageSearchResponse,
  MessagesQuerySchema,
  SyncQuerySchema,
  type ConversationsResponse,
  type MessagesPage,
  type SyncResponse,
} from '@parley/protocol';
import { callerId } from '../../http/authenticate.js';
import { parseInput } from '../../lib/validate.js';
import type { MessagesService } from './messages.service.js';

/** Mounted at /api; each route is behind `authenticated` (the router shares /api with others). */
export function messagesRoutes(messagesService: MessagesService, authenticated: RequestHandler): Router {
  const router = Router();

  router.get('/conversations', authenticated, async (req, res) => {
    const { before, limit } = parseInput(ConversationsQuerySchema, req.query);
    const body: ConversationsResponse = await messagesService.conversations(callerId(req), before, limit);
    res.json(body);
  });

  router.get('/messages/:userId', authenticated, async (req, res) => {
    const { userId } = parseInput(MessagesParamsSchema, req.params);
    const { before, limit } = parseInput(MessagesQuerySchema, req.query);
    const body: MessagesPage = await messagesService.history(callerId(req), userId, before, limit);
    res.json(body);
  });

  router.get('/messages/:userId/search', authenticated, async (req, res) => {
    const { userId } = parseInput(MessagesParamsSchema, req.params);
    const { q, before } = parseInput(MessageSearchQuerySchema, req.query);
    const body: MessageSearchResponse = await messagesService.search(callerId(req), userId, q, before);
    res.json(body);
  });

  router.get('/sync', authenticated, async (req, res) => {
    const { since, after, limit } = parseInput(SyncQuerySchema, req.query);
    const body: SyncResponse = await messagesService.changesSince(callerId(req), since, after, limit);
    res.json(body);
  });

  return router;
}
