import type { ReplyPreview } from '@parley/protocol';
import { readJson, userStorageKey, writeJson } from '../../lib/storage';

/** Which of my own messages an edit or delete is for: always its clientMessageId, its id once stored. */
export interface OutboxTarget {
  clientMessageId: string;
  messageId: string | null;
}

/**
 * Something this client is trying to get stored; it leaves the outbox once the server has it.
 * A send (no `kind`: entries written before edits existed are sends too), or an edit or delete of
 * one of my messages, queued behind my earlier sends to the same person so they apply in order.
 */
export interface OutboxEntry {
  /** A send: the message's clientMessageId. An edit or delete: this action's own id. */
  clientMessageId: string;
  receiverId: string;
  /** A send: its text. An edit: the new text. A delete: "". */
  content: string;
  kind?: 'edit' | 'delete';
  /** Edits and deletes: the message they change. */
  target?: OutboxTarget;
  /** Sends that reply: the quoted message, shown until the server's copy arrives. */
  replyTo?: ReplyPreview;
  /** When it was written here: where it sorts until the server's copy replaces it. */
  createdAt: string;
  state: 'sending' | 'failed';
  attempts: number;
  /** A refusal that retrying cannot fix (e.g. validation): only the person can retry it. */
  permanent: boolean;
}

export const ACK_TIMEOUT_MS = 5_000;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_CAP_MS = 30_000;

/** 1 s, 2 s, 4 s … after each failed attempt, never more than 30 s. */
export function retryDelay(attempts: number): number {
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

/** 32 characters of [0-9a-f]: inside the contract's 8-64 of [A-Za-z0-9_-]. */
export function newClientMessageId(): string {
  return crypto.randomUUID().replace(/-/g, '');
}

export function outboxKey(userId: string): string {
  return userStorageKey('outbox', userId);
}

function isOutboxEntry(value: unknown): value is OutboxEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry.clientMessageId === 'string' &&
    typeof entry.receiverId === 'string' &&
    typeof entry.content === 'string' &&
    typeof entry.createdAt === 'string' &&
    (entry.state === 'sending' || entry.state === 'failed') &&
    typeof entry.attempts === 'number' &&
    typeof entry.permanent === 'boolean' &&
    (entry.kind === undefined || entry.kind === 'edit' || entry.kind === 'delete') &&
    (entry.target === undefined || isTarget(entry.target)) &&
    (entry.replyTo === undefined || isReplyPreview(entry.replyTo))
  );
}

function isTarget(value: unknown): value is OutboxTarget {
  if (typeof value !== 'object' || value === null) return false;
  const target = value as Record<string, unknown>;
  return typeof target.clientMessageId === 'string' && (target.messageId === null || typeof target.messageId === 'string');
}

function isReplyPreview(value: unknown): value is ReplyPreview {
  if (typeof value !== 'object' || value === null) return false;
  const preview = value as Record<string, unknown>;
  return typeof preview.id === 'string' && typeof preview.sender === 'string' && typeof preview.content === 'string';
}

/** A send (not an edit or delete): what shows as a bubble of its own until it is stored. */
export function isSend(entry: OutboxEntry): boolean {
  return entry.kind === undefined;
}

function isOutbox(value: unknown): value is OutboxEntry[] {
  return Array.isArray(value) && value.every(isOutboxEntry);
}

export function loadOutbox(userId: string): OutboxEntry[] {
  return readJson(outboxKey(userId), isOutbox) ?? [];
}

export function saveOutbox(userId: string, entries: readonly OutboxEntry[]): void {
  writeJson(outboxKey(userId), entries);
}

/**
 * The one entry per receiver that may be sent now: the oldest not refused for good. Everything
 * behind it waits, so a person's messages to one partner are stored in the order written even
 * across timeouts and retries; a permanent refusal is skipped so it blocks nobody. Entries are
 * kept in the order written, so "oldest" is the first in the list.
 */
export function outboxHeads(outbox: readonly OutboxEntry[]): OutboxEntry[] {
  const heads = new Map<string, OutboxEntry>();
  for (const entry of outbox) {
    if (entry.state === 'failed' && entry.permanent) continue;
    if (!heads.has(entry.receiverId)) heads.set(entry.receiverId, entry);
  }
  return [...heads.values()];
}
