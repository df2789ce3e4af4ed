import commonPasswords from './commonPasswords/common-passwords.json' with { type: 'json' };

/** Lower-cased, 8-128 characters; where it comes from: commonPasswords/README.md (ADR 0014). */
const COMMON = new Set<string>(commonPasswords);

/** Digits and symbols people pad a word with: "alice1!", "!!alice2024". */
const PADDING = /^[^\p{L}]+|[^\p{L}]+$/gu;

function variantsOfUsername(username: string): Set<string> {
  const name = username.toLowerCase();
  const letters = name.replace(/[^\p{L}\p{N}]/gu, '');
  const reversed = [...name].reverse().join('');
  return new Set([name, letters, reversed, name + name].filter((variant) => variant.length > 0));
}

/**
 * Why `password` is too weak for `username`, for a person; null when it is fine. Length is the
 * schema's job (8-128); this refuses the username and its obvious variants (case, padding with
 * digits or symbols, reversed, doubled) and any of the most common passwords, padded or not.
 */
export function weakPasswordReason(password: string, username: string): string | null {
  const lower = password.toLowerCase();
  const unpadded = lower.replace(PADDING, '');
  const compact = lower.replace(/[^\p{L}\p{N}]/gu, '');
  const usernameVariants = variantsOfUsername(username);
  if ([lower, unpadded, compact].some((candidate) => usernameVariants.has(candidate))) {
    return 'Choose a password that is not your username.';
  }
  if (COMMON.has(lower) || COMMON.has(compact) || (unpadded.length >= 8 && COMMON.has(unpadded))) {
    return 'This password is too common; choose one that is harder to guess.';
  }
  return null;
}

export const COMMON_PASSWORD_COUNT = COMMON.size;
