import type { Connection } from 'mongoose';
import { afterAll, beforeAll, inject } from 'vitest';
import { connectDatabase } from '../db/connect.js';
import { uniqueDbName } from './testServer.js';
import { ObjectId } from '../features/messages/store/storedMessage.js';

/** A user id nobody else uses (the store does not check users; the service does). */
export const newUserId = () => new ObjectId().toHexString();

let counter = 0;
/** A client message id unique within the run. */
export const cmid = () => `cmid_${Date.now().toString(36)}_${(counter += 1)}`;

/** A database of this file's own, prepared as the server prepares it at start. */
export function databaseForThisFile(): { readonly db: Connection } {
  let db: Connection | undefined;
  beforeAll(async () => {
    db = await connectDatabase(inject('mongoUri'), { timeoutMs: 5000, dbName: uniqueDbName() });
  });
  afterAll(async () => {
    await db?.close();
  });
  return {
    get db(): Connection {
      if (!db) throw new Error('the database opens in beforeAll');
      return db;
    },
  };
}
