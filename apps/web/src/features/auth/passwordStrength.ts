/**
 * How guessable a password is, by zxcvbn-ts (the maintained zxcvbn): 0 (guessed at once) to 4.
 * Its dictionaries are large, so they load on first use, in a chunk of their own, never in the
 * main bundle: the sign-in screen does not pay for them.
 */
export type Score = 0 | 1 | 2 | 3 | 4;

type Checker = (password: string, userInputs: string[]) => Score;

let checker: Promise<Checker> | null = null;

export function loadStrengthChecker(): Promise<Checker> {
  checker ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')]).then(([core, common]) => {
    const zxcvbn = new core.ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs });
    return (password, userInputs) => zxcvbn.check(password, userInputs).score as Score;
  });
  // A failed load (offline) may be retried on the next keystroke.
  checker.catch(() => {
    checker = null;
  });
  return checker;
}

export const STRENGTH_LABELS: Record<Score, string> = {
  0: 'Very weak: easy to guess',
  1: 'Weak: easy to guess',
  2: 'Fair',
  3: 'Good',
  4: 'Strong',
};
