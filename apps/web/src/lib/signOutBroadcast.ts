/**
 * Tells every other tab of this browser that this one signed out, and hears when another did.
 * The refresh cookie is shared by all tabs, so one sign-out ends them all; without this, other
 * tabs would only notice at their next refresh. BroadcastChannel where the browser has it, else
 * the `storage` event (fired in every other tab of the origin when a key changes).
 */
const CHANNEL = 'parley:auth';
const STORAGE_KEY = 'parley:signed-out';

export interface SignOutNotice {
  /** Who signed out; null when the tab did not know (it was not signed in). */
  userId: string | null;
}

function isNotice(value: unknown): value is SignOutNotice {
  if (typeof value !== 'object' || value === null || !('userId' in value)) return false;
  return value.userId === null || typeof value.userId === 'string';
}

export function announceSignOut(notice: SignOutNotice): void {
  if (typeof BroadcastChannel !== 'undefined') {
    const channel = new BroadcastChannel(CHANNEL);
    channel.postMessage(notice);
    channel.close();
    return;
  }
  try {
    // A fresh value each time, so a second sign-out also fires the event.
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ ...notice, at: Date.now() }));
  } catch {
    // Storage disabled: the other tabs find out at their next refresh.
  }
}

/** Calls `onSignOut` when another tab signs out; returns the unsubscribe. */
export function onSignOutElsewhere(onSignOut: (notice: SignOutNotice) => void): () => void {
  if (typeof BroadcastChannel !== 'undefined') {
    const channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = (event: MessageEvent<unknown>) => {
      if (isNotice(event.data)) onSignOut(event.data);
    };
    return () => channel.close();
  }
  const onStorage = (event: StorageEvent) => {
    if (event.key !== STORAGE_KEY || event.newValue === null) return;
    try {
      const notice: unknown = JSON.parse(event.newValue);
      if (isNotice(notice)) onSignOut(notice);
    } catch {
      // Not ours to read.
    }
  };
  window.addEventListener('storage', onStorage);
  return () => window.removeEventListener('storage', onStorage);
}
