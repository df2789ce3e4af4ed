import type { CSSProperties } from 'react';

/** Up to two initials: "Ada Lovelace" -> "AL", "ada" -> "A". */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0]?.[0] ?? '?';
  const last = words.length > 1 ? (words[words.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}

/** A stable hue per name so the same person always gets the same colour. */
function hueOf(name: string): number {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) % 360;
  return hash;
}

export function Avatar({ name }: { name: string }) {
  return (
    <span className="avatar" style={{ '--avatar-hue': hueOf(name) } as CSSProperties} aria-hidden="true">
      {initialsOf(name)}
    </span>
  );
}
