import { readJson, userStorageKey, writeJson } from '../../lib/storage';

/** A message this client is trying to get stored; it leaves the outbox once the server has it. */
export interface OutboxEntry {
  clientMessageId: string;
  receiverId: string;
  content: string;
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
    typeof entry.permanent === 'boolean'
  );
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
