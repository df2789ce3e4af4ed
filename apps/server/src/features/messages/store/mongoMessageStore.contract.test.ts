import { describeMessageStoreContract } from '../../../test/messageStoreContract.js';
import { createMongoMessageStore } from './mongoMessageStore.js';
import { databaseForThisFile } from '../../../test/mongoStoreTestKit.js';

// The same contract the memory store keeps, against the real database (fresh users per case).
const file = databaseForThisFile();

describeMessageStoreContract('mongo message store', async ({ now }) => {
  const store = createMongoMessageStore(file.db, { now });
  return { store, cleanup: () => store.close() };
});
