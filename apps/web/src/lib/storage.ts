/**
 * Small JSON helpers over localStorage. Storage can be full, disabled or hold garbage from an
 * older version: every failure degrades to "nothing stored" rather than breaking the app.
 */
export function readJson<T>(key: string, isValid: (value: unknown) => value is T): T | null {
  try {
    const raw = localStorage.getItem(key);
    if (raw === null) return null;
    const value: unknown = JSON.parse(raw);
    return isValid(value) ? value : null;
  } catch {
    return null;
  }
}

export function writeJson(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Quota or privacy mode: the in-memory state still works for this page's life.
  }
}

/**
 * Removes everything this app stored for `userId` (keys `parley:<kind>:<userId>`: the outbox,
 * the sync point...), so a signed-out account leaves nothing behind on a shared computer.
 */
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
