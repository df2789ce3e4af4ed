import mongoose, { type Connection } from 'mongoose';
import { refreshTokenModel } from '../features/auth/refreshToken.model.js';
import { sessionModel } from '../features/auth/session.model.js';
import { conversationModels } from '../features/messages/conversation.model.js';
import { messageModel } from '../features/messages/message.model.js';
import { prepareMessageStore } from '../features/messages/store/mongoMigration.js';
import { userModel } from '../features/users/user.model.js';
import { backfillSearchWords } from '../features/users/users.repository.js';

export interface ConnectOptions {
  timeoutMs: number;
  dbName?: string;
  /** The driver's connection pool: the bound on this server's concurrent database commands. */
  maxPoolSize?: number;
  /** Progress of the start-time migration and repairs. */
  log?: (line: string) => void;
}

/** DB_MAX_POOL_SIZE's default: sends go in batches (ADR 0020), so few connections suffice. */
export const DEFAULT_DB_MAX_POOL_SIZE = 10;

/**
 * Opens a connection that fails fast: no command buffering while disconnected, and a short
 * server-selection timeout, so a send during an outage gets an error ack instead of hanging.
 * Then indexes, then the data migrations, before anything is served.
 */
export async function connectDatabase(uri: string, options: ConnectOptions): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    bufferCommands: false,
    autoIndex: false,
    serverSelectionTimeoutMS: options.timeoutMs,
    socketTimeoutMS: options.timeoutMs * 5,
    // Command events feed the database latency and error metrics (features/observability).
    monitorCommands: true,
    maxPoolSize: options.maxPoolSize ?? DEFAULT_DB_MAX_POOL_SIZE,
    ...(options.dbName ? { dbName: options.dbName } : {}),
  });
  await connection.asPromise();
  await ensureIndexes(connection);
  await backfillSearchWords(connection);
  await prepareMessageStore(connection, options.log);
  return connection;
}

/** Creates every model's indexes (the unique ones guard correctness) before serving. */
export async function ensureIndexes(connection: Connection): Promise<void> {
  const { Conversations, MessagePartners } = conversationModels(connection);
  const models = [userModel(connection), sessionModel(connection), refreshTokenModel(connection), messageModel(connection), Conversations, MessagePartners];
  await Promise.all(models.map((model) => model.createIndexes()));
}
