import type { MeUser, PresenceState, User, UserWithPresence } from '@parley/protocol';
import { AppError } from '../../lib/AppError.js';
import type { UserRecord, UsersRepository } from './users.repository.js';

export function toPublicUser(record: UserRecord): User {
  return {
    id: record.id,
    username: record.username,
    displayName: record.displayName,
    createdAt: record.createdAt.toISOString(),
  };
}

function toMeUser(record: UserRecord): MeUser {
  return { ...toPublicUser(record), showPresence: record.showPresence };
}

/** What the users feature needs of presence, without depending on its internals. */
export interface PresenceOfUsers {
  /** What others may see of these users' presence (the privacy rule applied). O(users). */
  describe(profiles: readonly { id: string; showPresence: boolean; lastSeen: Date | null }[]): Promise<PresenceState[]>;
  /** The user turned showing their presence on or off. */
  visibilityChanged(userId: string, visible: boolean): Promise<void>;
}

export function createUsersService(deps: { users: UsersRepository; presence: PresenceOfUsers }) {
  const { users, presence } = deps;

  return {
    async getMe(userId: string): Promise<MeUser> {
      const record = await users.findById(userId);
      if (!record) throw new AppError('UNAUTHORIZED', 'This account no longer exists');
      return toMeUser(record);
    },

    /** PATCH /api/users/me: the display name and the presence setting (presence announces a change of it). */
    async updateMe(userId: string, changes: { displayName?: string | undefined; showPresence?: boolean | undefined }): Promise<MeUser> {
      const before = await users.findById(userId);
      if (!before) throw new AppError('UNAUTHORIZED', 'This account no longer exists');
      const after = await users.updateProfile(userId, {
        ...(changes.displayName !== undefined ? { displayName: changes.displayName } : {}),
        ...(changes.showPresence !== undefined ? { showPresence: changes.showPresence } : {}),
      });
      if (!after) throw new AppError('UNAUTHORIZED', 'This account no longer exists');
      if (after.showPresence !== before.showPresence) await presence.visibilityChanged(userId, after.showPresence);
      return toMeUser(after);
    },

    /** One page of users; presence is looked up for that page only, never for everyone online. */
    async list(callerId: string, prefix: string | undefined): Promise<UserWithPresence[]> {
      const records = await users.search(callerId, prefix);
      const states = await presence.describe(records);
      return records.map((record, index) => ({
        ...toPublicUser(record),
        online: states[index]!.online,
        lastSeen: states[index]!.lastSeen,
      }));
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
