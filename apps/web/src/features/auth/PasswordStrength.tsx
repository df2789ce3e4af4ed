import { useEffect, useState } from 'react';
import { loadStrengthChecker, STRENGTH_LABELS, type Score } from './passwordStrength';

/** A hint while choosing a password: how guessable it is, as words and a bar. */
export function PasswordStrength({ id, password, userInputs }: { id: string; password: string; userInputs: string[] }) {
  const [result, setResult] = useState<{ password: string; score: Score } | null>(null);
  const inputs = userInputs.join('\n');

  useEffect(() => {
    if (!password) return;
    let current = true;
    loadStrengthChecker().then(
      (check) => current && setResult({ password, score: check(password, inputs.split('\n').filter(Boolean)) }),
      () => undefined, // No hint rather than a wrong one; the server still judges.
    );
    return () => {
      current = false;
    };
  }, [password, inputs]);

  const score = password && result?.password === password ? result.score : null;
  return (
    <p id={id} className="strength" data-score={score ?? undefined} aria-live="polite">
      <span className="strength__bar" aria-hidden="true">
        <span className="strength__fill" />
      </span>
      <span className="strength__label">{score === null ? '' : `Password strength: ${STRENGTH_LABELS[score]}`}</span>
    </p>
  );
}
