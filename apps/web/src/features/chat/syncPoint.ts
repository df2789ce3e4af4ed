import { SYNC_OVERLAP_MS } from '@parley/protocol';
import { readJson, userStorageKey, writeJson } from '../../lib/storage';

/** Catch-up asks from this much before the last sync point: writes committed late still show up. */
export const SYNC_SAFETY_MARGIN_MS = SYNC_OVERLAP_MS;

function syncKey(userId: string): string {
  return userStorageKey('sync', userId);
}

const isString = (value: unknown): value is string => typeof value === 'string';

/** The stored sync point, or — on this device's first sign-in — now, stored for next time. */
export function loadSyncPoint(userId: string, now: Date = new Date()): string {
  const stored = readJson(syncKey(userId), isString);
  if (stored && !Number.isNaN(Date.parse(stored))) return stored;
  const start = now.toISOString();
  saveSyncPoint(userId, start);
  return start;
}

export function saveSyncPoint(userId: string, point: string): void {
  writeJson(syncKey(userId), point);
}

export function withSafetyMargin(point: string): string {
  return new Date(Date.parse(point) - SYNC_SAFETY_MARGIN_MS).toISOString();
}
