/**
 * How people are found by name: every word of a display name, lower-cased and stripped of
 * accents ("Zoë Ångström" -> ["zoe", "angstrom"]), stored with the user so a search is an
 * indexed prefix match on a multikey array (`{ nameWords: /^okaf/ }` uses the index on MongoDB).
 */
export function normalizeForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The distinct words of `text`, normalized; letters and digits only. */
export function searchWordsOf(text: string): string[] {
  return [...new Set(normalizeForSearch(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean))];
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The filter for a search: the query begins the username, or every word typed begins some word
 * of the display name or the username ("okaf" finds "Bob Okafor"; "bob ok" too). Every branch
 * is an anchored prefix on an indexed field.
 */
export function searchFilter(query: string): Record<string, unknown> | null {
  const words = searchWordsOf(query);
  const whole = normalizeForSearch(query.trim());
  if (!whole) return null;
  // The query as typed may be (the start of) a username, underscores and all.
  const byUsername = { username: new RegExp(`^${escapeRegExp(whole)}`) };
  if (words.length === 0) return byUsername;
  const clauses = words.map((word) => {
    const prefix = new RegExp(`^${escapeRegExp(word)}`);
    return { $or: [{ nameWords: prefix }, { username: prefix }] };
  });
  return { $or: [byUsername, clauses.length === 1 ? clauses[0]! : { $and: clauses }] };
}
