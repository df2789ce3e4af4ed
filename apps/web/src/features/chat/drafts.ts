import { readJson, userStorageKey, writeJson } from '../../lib/storage';

/**
 * What was being written in each chat, kept across chat switches and reloads (per account, in
 * this browser). One key per chat, so a keystroke rewrites one small entry.
 */
function draftKey(meId: string, peerId: string): string {
  // A per-user key (userStorageKey): signing out forgets the drafts with the rest.
  return userStorageKey(`draft-${peerId}`, meId);
}

export function loadDraft(meId: string, peerId: string): string {
  return readJson(draftKey(meId, peerId), (value): value is string => typeof value === 'string') ?? '';
}

export function saveDraft(meId: string, peerId: string, draft: string): void {
  if (draft) writeJson(draftKey(meId, peerId), draft);
  else {
    try {
      localStorage.removeItem(draftKey(meId, peerId));
    } catch {
      // Storage disabled: nothing was kept either.
    }
  }
}
