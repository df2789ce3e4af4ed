import { describePresenceStoreContract } from '../../test/presenceStoreContract.js';
import { InMemoryPresenceStore } from './presence.store.js';

describePresenceStoreContract('InMemoryPresenceStore', async (options) => new InMemoryPresenceStore(options));
