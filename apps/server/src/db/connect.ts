import mongoose, { type Connection } from 'mongoose';
import { refreshTokenModel } from '../features/auth/refreshToken.model.js';
import { sessionModel } from '../features/auth/session.model.js';
import { messageModel } from '../features/messages/message.model.js';
import { userModel } from '../features/users/user.model.js';
import { backfillSearchWords } from '../features/users/users.repository.js';

/**
 * Opens a connection that fails fast: no command buffering while disconnected, and a short
 * server-selection timeout, so a send during an outage gets an error ack instead of hanging.
 */
export async function connectDatabase(uri: string, options: { timeoutMs: number; dbName?: string }): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    bufferCommands: false,
    autoIndex: false,
    serverSelectionTimeoutMS: options.timeoutMs,
    socketTimeoutMS: options.timeoutMs * 5,
    // Command events feed the database latency and error metrics (features/observability).
    monitorCommands: true,
    ...(options.dbName ? { dbName: options.dbName } : {}),
  });
  await connection.asPromise();
  await ensureIndexes(connection);
  await backfillSearchWords(connection);
  return connection;
}

/** Creates every model's indexes (the unique ones guard correctness) before serving. */
export async function ensureIndexes(connection: Connection): Promise<void> {
  await Promise.all([userModel(connection), sessionModel(connection), refreshTokenModel(connection), messageModel(connection)].map((model) => model.createIndexes()));
}
