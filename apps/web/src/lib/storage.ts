/**
 * Small JSON helpers over localStorage. Storage can be full, disabled or hold garbage: every
 * failure degrades to "nothing stored" rather than breaking the app.
 *
 * Everything stored carries the version of its shape, `{ version, data }`. Data of a version
 * this code does not know (a newer tab's, or a shape since retired) is ignored, never guessed
 * at; the next write replaces it. Bump STORAGE_VERSION when a stored shape changes, and read
 * the old one here if it should survive the upgrade.
 */
export const STORAGE_VERSION = 1;

interface Versioned {
  version: unknown;
  data: unknown;
}

function isVersioned(value: unknown): value is Versioned {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'version' in value && 'data' in value;
}

/** The stored data in today's shape, or null when there is none we can trust. */
function currentData(stored: unknown): unknown {
  if (isVersioned(stored)) return stored.version === STORAGE_VERSION ? stored.data : null;
  // Written before versions existed: the bare value had version 1's shape.
  return stored;
}

export function readJson<T>(key: string, isValid: (value: unknown) => value is T): T | null {
  try {
    const raw = localStorage.getItem(key);
    if (raw === null) return null;
    const data = currentData(JSON.parse(raw));
    return isValid(data) ? data : null;
  } catch {
    return null;
  }
}

export function writeJson(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify({ version: STORAGE_VERSION, data: value }));
  } catch {
    // Quota or privacy mode: the in-memory state still works for this page's life.
  }
}

/**
 * The key of something stored for one user (`parley:<kind>:<userId>`). Everything per user is
 * stored under such a key, so signing out can forget all of it (forgetUserData).
 */
export function userStorageKey(kind: string, userId: string): string {
  return `parley:${kind}:${userId}`;
}

/** Removes everything this app stored for `userId`, so a signed-out account leaves nothing behind. */
export function forgetUserData(userId: string): void {
  try {
    const suffix = `:${userId}`;
    const keys: string[] = [];
    for (let index = 0; index < localStorage.length; index += 1) {
      const key = localStorage.key(index);
      if (key?.startsWith('parley:') && key.endsWith(suffix)) keys.push(key);
    }
    for (const key of keys) localStorage.removeItem(key);
  } catch {
    // Storage disabled: there is nothing stored either.
  }
}
