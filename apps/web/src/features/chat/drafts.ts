import { readJson, writeJson } from '../../lib/storage';

/**
 * What was being written in each chat, kept across chat switches and reloads (per account, in
 * this browser). One key per chat, so a keystroke rewrites one small entry.
 */
function draftKey(meId: string, peerId: string): string {
  return `parley:draft:${meId}:${peerId}`;
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
