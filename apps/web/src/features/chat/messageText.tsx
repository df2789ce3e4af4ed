import type { ReactNode } from 'react';

/**
 * http(s) addresses in a message. Tight on purpose: only these two schemes, no spaces or angle
 * brackets or quotes; what a sentence puts after an address (a full stop, a closing bracket
 * it did not open) is not part of it. Anything else (javascript:, data:, …) stays plain text.
 */
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const TRAILING = /[.,;:!?*_~]+$/;

function trimAddress(candidate: string): string {
  let address = candidate.replace(TRAILING, '');
  // "(see https://example.com/a)" — the bracket belongs to the sentence, not the address.
  while (address.endsWith(')') && (address.match(/\(/g)?.length ?? 0) < (address.match(/\)/g)?.length ?? 0)) {
    address = address.slice(0, -1).replace(TRAILING, '');
  }
  return address;
}

function safeHref(address: string): string | null {
  try {
    const url = new URL(address);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** The message as text and links: React escapes the text; only checked http(s) hrefs are made. */
export function linkify(text: string): ReactNode[] {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index;
    const address = trimAddress(match[0]);
    const href = safeHref(address);
    if (!href) continue;
    if (start > last) parts.push(text.slice(last, start));
    parts.push(
      <a key={start} href={href} target="_blank" rel="noopener noreferrer">
        {address}
      </a>,
    );
    last = start + address.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

const EMOJI = /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator})/u;
const segmenter = typeof Intl !== 'undefined' && 'Segmenter' in Intl ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;

/** A message of one to three emoji and nothing else (spaces aside): shown large, as chat apps do. */
export function isOnlyEmoji(text: string): boolean {
  const compact = text.replace(/\s+/g, '');
  if (!compact || !segmenter) return false;
  const graphemes = [...segmenter.segment(compact)].map((part) => part.segment);
  return graphemes.length <= 3 && graphemes.every((grapheme) => EMOJI.test(grapheme) && !/^[\d#*]/.test(grapheme));
}
