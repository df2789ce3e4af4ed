import type { mongo } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationModels } from '../conversation.model.js';
import { messageModel } from '../message.model.js';
import { conversationKeyOf } from './messageStore.js';
import { createMongoMessageStore } from './mongoMessageStore.js';
import { cmid, databaseForThisFile, newUserId } from '../../../test/mongoStoreTestKit.js';
import { repairDeadNodes } from './nodeMarker.js';
import { ConversationSummaries } from './conversationSummaries.js';
import { storeCollections } from './storedMessage.js';

/**
 * Every query the Mongo store sends is served by a declared index (issue 10): recorded from the
 * driver's command monitoring while every store method runs, then held against the indexes the
 * models declare. Runs on every database; the explain() check below runs on MongoDB only.
 */
const file = databaseForThisFile();

type Filter = Record<string, unknown>;
type Sort = Record<string, number>;
interface Query {
  collection: string;
  command: string;
  filter: Filter;
  sort: Sort;
}

function declaredIndexes(): Record<string, Sort[]> {
  const { Conversations, MessagePartners } = conversationModels(file.db);
  const of = (model: unknown) => (model as { schema: { indexes(): [Sort, unknown][] } }).schema.indexes().map(([keys]) => keys);
  return { messages: of(messageModel(file.db)), conversations: of(Conversations), message_partners: of(MessagePartners) };
}

const isOperatorObject = (value: unknown) =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).some((key) => key.startsWith('$'));
const isEquality = (value: unknown) => !isOperatorObject(value) || Object.keys(value as object).every((key) => key === '$in' || key === '$eq');

/** The filter as branches: an `$or` of cursor positions becomes one filter per branch. */
function branchesOf(filter: Filter): Filter[] {
  const { $or, ...rest } = filter;
  if (!Array.isArray($or)) return [rest];
  return ($or as Filter[]).map((branch) => ({ ...rest, ...branch }));
}

/**
 * Served when some index starts with equality fields of the filter, and the sort (if any)
 * continues it from within that equality prefix, in index order or reversed. By `_id` always is.
 */
export function servedBy(indexes: Sort[], filter: Filter, sort: Sort): boolean {
  return branchesOf(filter).every((branch) => {
    if ('_id' in branch && isEquality(branch._id) && Object.keys(sort).length === 0) return true;
    if (Object.keys(branch).length === 1 && '_id' in branch) return Object.keys(sort).every((field) => field === '_id');
    return indexes.some((index) => {
      const fields = Object.keys(index);
      let prefix = 0;
      while (prefix < fields.length && fields[prefix]! in branch && isEquality(branch[fields[prefix]!])) prefix += 1;
      if (prefix === 0) return false;
      const sortFields = Object.keys(sort);
      if (sortFields.length === 0) return true;
      for (let start = 0; start <= prefix; start += 1) {
        const slice = fields.slice(start, start + sortFields.length);
        if (slice.join() !== sortFields.join()) continue;
        const same = sortFields.every((field) => sort[field] === index[field]);
        const reversed = sortFields.every((field) => sort[field] === -index[field]!);
        if (same || reversed) return true;
      }
      return false;
    });
  });
}

/** The filter and sort of every read and write the driver sends to the store's collections. */
function queriesOf(event: mongo.CommandStartedEvent): Query[] {
  const command = event.command as Record<string, unknown>;
  const name = event.commandName;
  const collection = String(command[name]);
  const one = (filter: unknown, sort: unknown = {}) => ({ collection, command: name, filter: (filter ?? {}) as Filter, sort: (sort ?? {}) as Sort });
  switch (name) {
    case 'find':
      return [one(command.filter, command.sort)];
    case 'findAndModify':
      return [one(command.query, command.sort)];
    case 'update':
      return (command.updates as { q: unknown }[]).map((update) => one(update.q));
    case 'delete':
      return (command.deletes as { q: unknown }[]).map((del) => one(del.q));
    case 'count':
      return [one(command.query)];
    case 'aggregate': {
      const match = (command.pipeline as Record<string, unknown>[]).find((stage) => '$match' in stage);
      return [one(match?.$match)];
    }
    default:
      return [];
  }
}

const recorded: Query[] = [];
const record = (event: mongo.CommandStartedEvent) => recorded.push(...queriesOf(event));

beforeAll(async () => {
  file.db.getClient().on('commandStarted', record);
  // Every method of the store, with and without cursors.
  const s = createMongoMessageStore(file.db);
  const [a, b] = [newUserId(), newUserId()];
  const first = await s.insert({ sender: a, receiver: b, content: 'hello', clientMessageId: 'index-test-1' });
  await s.insert({ sender: a, receiver: b, content: 'hello', clientMessageId: 'index-test-1' });
  const reply = await s.insert({ sender: b, receiver: a, content: 'reply', clientMessageId: cmid(), replyTo: { id: first.message.id, sender: a, content: 'hello' } });
  await s.findById(first.message.id);
  const page = await s.pageBefore(a, b, null, 10);
  await s.pageBefore(a, b, page[0]!, 10);
  await s.searchInConversation(a, b, 'hel', null, 10);
  await s.searchInConversation(a, b, 'hel', reply.message.id, 10);
  const list = await s.conversations(a, null, 1);
  await s.conversations(a, list.nextCursor ?? Buffer.from(JSON.stringify([Date.now(), conversationKeyOf(a, b)])).toString('base64url'), 1);
  await s.partnersOf(a, 10);
  await s.partnersOf(a, 0);
  await s.markDelivered(b, [first.message.id], new Date());
  await s.markRead(b, a, new Date());
  await s.changesSince(a, new Date(0), undefined, 10);
  await s.changesSince(a, new Date(0), first.message.id, 10);
  await s.setReplyPreviews(a, b, first.message.id, 'hello again');
  await s.setReplyPreview(reply.message.id, 'hello again');
  await s.applyEdit(first.message.id, 'edited', new Date());
  await s.applyDelete(first.message.id, new Date());
  const c = storeCollections(file.db);
  const summaries = new ConversationSummaries(c);
  await summaries.rebuild(conversationKeyOf(a, b));
  await c.nodes.insertOne({ _id: 'dead', summarizedUpTo: new Date(), beatAt: new Date(0) } as never);
  await repairDeadNodes(c, summaries, () => undefined);
  await s.close();
  file.db.getClient().off('commandStarted', record);
});

afterAll(() => {
  file.db.getClient().off('commandStarted', record);
});

describe('every store query against the declared indexes', () => {
  it('is served by an index prefix: equality first, then sort or range', () => {
    const indexes = declaredIndexes();
    // The node markers are a handful of documents, one per live server: read whole by design.
    const checked = recorded.filter((query) => query.collection in indexes);
    expect(new Set(checked.map((query) => `${query.collection}.${query.command}`)).size).toBeGreaterThanOrEqual(8);
    const unserved = checked.filter((query) => !servedBy(indexes[query.collection]!, query.filter, query.sort));
    expect(unserved).toEqual([]);
  });

  it('the check fails a query no index serves (it can fail)', () => {
    const { messages } = declaredIndexes();
    // The shape the old repository used: two branches, neither an indexed equality.
    expect(servedBy(messages!, { $or: [{ sender: 1, receiver: 2 }, { sender: 2, receiver: 1 }] }, { createdAt: -1 })).toBe(false);
    expect(servedBy(messages!, { receiver: 1, isRead: false }, {})).toBe(false);
    expect(servedBy(messages!, { conversationKey: 'k' }, { updatedAt: 1 })).toBe(false);
    expect(servedBy(messages!, { conversationKey: 'k' }, { createdAt: -1, _id: -1 })).toBe(true);
  });
});

describe('explain() on MongoDB', () => {
  it('plans no collection scan for the store’s reads (skipped on FerretDB)', async (context) => {
    const info = await file.db.db!.admin().command({ buildInfo: 1 });
    if ('ferretdb' in info || 'ferretdbVersion' in info) context.skip();
    const indexes = declaredIndexes();
    const reads = recorded.filter((query) => query.command === 'find' && query.collection in indexes && Object.keys(query.filter).length > 0);
    expect(reads.length).toBeGreaterThan(3);
    for (const query of reads) {
      const plan = await file.db.collection(query.collection).find(query.filter).sort(query.sort as never).explain('queryPlanner');
      expect(JSON.stringify(plan.queryPlanner.winningPlan), `${query.collection} ${JSON.stringify(query.filter)}`).not.toContain('COLLSCAN');
    }
  });
});
