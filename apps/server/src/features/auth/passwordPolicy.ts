import commonPasswords from './commonPasswords/common-passwords.json' with { type: 'json' };

/** Lower-cased, 8-128 characters; where it comes from: commonPasswords/README.md (ADR 0014). */
const COMMON = new Set<string>(commonPasswords);

/** Digits and symbols people pad a word with: "alice1!", "!!alice2024". */
const PADDING = /^[^\p{L}]+|[^\p{L}]+$/gu;
const LETTER = /\p{L}/u;

/** `candidate` is `word` with at most digits and symbols around it ("alice_1990!"). */
function isPadded(candidate: string, word: string): boolean {
  const at = candidate.indexOf(word);
  if (at === -1) return false;
  return !LETTER.test(candidate.slice(0, at) + candidate.slice(at + word.length));
}

function isUsernameVariant(password: string, username: string): boolean {
  const name = username.toLowerCase();
  const compactName = name.replace(/[^\p{L}\p{N}]/gu, '');
  const reversed = [...name].reverse().join('');
  const candidates = [password, password.replace(/[^\p{L}\p{N}]/gu, '')];
  return candidates.some(
    (candidate) =>
      candidate === name + name ||
      [name, compactName, reversed].some((word) => word.length > 0 && isPadded(candidate, word)),
  );
}

/**
 * Why `password` is too weak for `username`, for a person; null when it is fine. Length is the
 * schema's job (8-128); this refuses the username and its obvious variants (any case, padded with
 * digits or symbols, reversed, doubled) and any of the most common passwords, padded or not.
 */
export function weakPasswordReason(password: string, username: string): string | null {
  const lower = password.toLowerCase();
  if (isUsernameVariant(lower, username)) return 'Choose a password that is not your username.';
  const unpadded = lower.replace(PADDING, '');
  const compact = lower.replace(/[^\p{L}\p{N}]/gu, '');
  if (COMMON.has(lower) || COMMON.has(compact) || (unpadded.length >= 8 && COMMON.has(unpadded))) {
    return 'This password is too common; choose one that is harder to guess.';
  }
  return null;
}

export const COMMON_PASSWORD_COUNT = COMMON.size;
