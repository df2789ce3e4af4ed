import type { Connection } from 'mongoose';
import { clearConversations, seedMessages } from './seedConversations.js';

/** Partners per user in S1 and for S4's probers (the issue's figure). */
export const PARTNERS_PER_USER = 20;

interface WithId {
  id: string;
}

/**
 * Conversation partners as the server knows them: one stored message per pair, with its
 * conversation summary and both users' partner lists. `pairs` are [sender, receiver] ids, inserted
 * directly (the send path is measured elsewhere) into an emptied database.
 */
export async function seedConversations(conn: Connection, pairs: [string, string][]): Promise<void> {
  await seedMessages(conn, pairs.map(([sender, receiver]) => ({ sender, receiver })));
}

/** Empties messages, conversations and partners (only while no server under test runs). */
export const clearMessages = clearConversations;

/** A ring: each user talks with the `degree / 2` users after it, so everyone has `degree` partners. */
export function ringPairs(users: readonly WithId[], degree = PARTNERS_PER_USER): [string, string][] {
  const pairs: [string, string][] = [];
  if (users.length <= degree) throw new Error(`a ring of degree ${degree} needs more than ${degree} users`);
  for (let i = 0; i < users.length; i++) {
    for (let k = 1; k <= degree / 2; k++) pairs.push([users[i]!.id, users[(i + k) % users.length]!.id]);
  }
  return pairs;
}

/** Each of `users` talks with every one of `partners`. */
export function starPairs(users: readonly WithId[], partners: readonly WithId[]): [string, string][] {
  return users.flatMap((user) => partners.map((partner): [string, string] => [user.id, partner.id]));
}
