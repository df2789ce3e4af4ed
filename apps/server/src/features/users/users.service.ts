import type { MeUser, User, UserWithPresence } from '@parley/protocol';
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

/** What the users feature needs to know of presence, without depending on its internals. */
export interface OnlineLookup {
  onlineUserIds(): Promise<string[]>;
}

export function createUsersService(deps: { users: UsersRepository; presence: OnlineLookup }) {
  const { users, presence } = deps;

  return {
    async getMe(userId: string): Promise<MeUser> {
      const record = await users.findById(userId);
      if (!record) throw new AppError('UNAUTHORIZED', 'This account no longer exists');
      return { ...toPublicUser(record), showPresence: record.showPresence };
    },
    /** PATCH /api/users/me: the display name and the presence setting (who acts on it: presence). */
    async updateMe(userId: string, changes: { displayName?: string | undefined; showPresence?: boolean | undefined }): Promise<MeUser> {
      const record = await users.updateProfile(userId, {
        ...(changes.displayName !== undefined ? { displayName: changes.displayName } : {}),
        ...(changes.showPresence !== undefined ? { showPresence: changes.showPresence } : {}),
      });
      if (!record) throw new AppError('UNAUTHORIZED', 'This account no longer exists');
      return { ...toPublicUser(record), showPresence: record.showPresence };
    },

    async list(callerId: string, prefix: string | undefined): Promise<UserWithPresence[]> {
      const [records, onlineIds] = await Promise.all([
        users.search(callerId, prefix),
        presence.onlineUserIds(),
      ]);
      const online = new Set(onlineIds);
      return records.map((record) => ({
        ...toPublicUser(record),
        online: online.has(record.id),
        lastSeen: record.lastSeen ? record.lastSeen.toISOString() : null,
      }));
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
