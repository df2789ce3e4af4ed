import { SOCKET_TOO_MANY_CONNECTIONS } from '@parley/protocol';
import type { Logger } from '../lib/logger.js';
import type { AppServer } from './types.js';

interface SocketAdmissions {
  /** Whether one more socket of the user fits; a yes holds a place until the socket is counted. */
  admitSocket(userId: string, socketId: string): Promise<boolean>;
  /** Gives back the place of an admitted socket that never got as far as being counted. */
  abandonAdmission(userId: string, socketId: string): void;
}

/** Longer than any handshake can take (Socket.IO's connectTimeout is 10 s). */
const ADMISSION_HOLD_MS = 30_000;

/**
 * `MAX_SOCKETS_PER_USER` (contract v2): a handshake beyond it is refused with connect_error
 * `TOO_MANY_CONNECTIONS`. Added after the token check (it needs the user). When the count cannot
 * be read (Redis away) the socket is let in: presence is failing then anyway, and refusing every
 * handshake would turn a blip into an outage.
 */
export function limitSocketsPerUser(io: AppServer, admissions: SocketAdmissions, logger: Logger): void {
  io.use(async (socket, next) => {
    const { userId } = socket.data;
    let admitted: boolean;
    try {
      admitted = await admissions.admitSocket(userId, socket.id);
    } catch (error) {
      logger.warn({ err: error, userId }, 'could not count the sockets of a user; letting this one in');
      return next();
    }
    if (!admitted) {
      return next(Object.assign(new Error(SOCKET_TOO_MANY_CONNECTIONS), { data: { code: SOCKET_TOO_MANY_CONNECTIONS } }));
    }
    // Normally `connect` takes the place over within a tick; this frees it if the client left first.
    setTimeout(() => admissions.abandonAdmission(userId, socket.id), ADMISSION_HOLD_MS).unref();
    next();
  });
}
