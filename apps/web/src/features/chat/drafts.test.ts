import { describe, expect, it } from 'vitest';
import { forgetUserData } from '../../lib/storage';
import { loadDraft, saveDraft } from './drafts';

describe('drafts', () => {
  it('are kept per account and per chat, emptied by an empty draft, and forgotten on sign-out', () => {
    saveDraft('me1', 'alice', 'Hello Al');
    saveDraft('me1', 'bob', 'Hi Bob');
    saveDraft('me2', 'alice', 'Someone else');
    expect(loadDraft('me1', 'alice')).toBe('Hello Al');
    saveDraft('me1', 'bob', '');
    expect(loadDraft('me1', 'bob')).toBe('');

    forgetUserData('me1');
    expect(loadDraft('me1', 'alice')).toBe('');
    expect(loadDraft('me2', 'alice')).toBe('Someone else');
  });
});
