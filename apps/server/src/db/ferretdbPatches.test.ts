import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { databaseForThisFile } from '../test/mongoStoreTestKit.js';

/**
 * ADR 0022: on FerretDB/SQLite a filter on `_id` alone must be an index lookup. Unpatched
 * FerretDB 1.24.2 plans `SCAN` for it (every read, update and delete by `_id` reads the whole
 * table); scripts/build-ferretdb.sh applies the fix. On MongoDB, messageIndexes.test.ts's
 * explain() check covers the store's reads instead.
 */
const file = databaseForThisFile();

async function isFerretDb(): Promise<boolean> {
  const info = await file.db.db!.admin().command({ buildInfo: 1 });
  return 'ferretdb' in info || 'ferretdbVersion' in info;
}

/** FerretDB's explain carries SQLite's EXPLAIN QUERY PLAN lines. */
async function sqlitePlan(collection: string, filter: Record<string, unknown>): Promise<string> {
  const explained = await file.db.db!.command({ explain: { find: collection, filter } });
  return JSON.stringify(explained.queryPlanner ?? explained);
}

describe('FerretDB build (ADR 0022)', () => {
  it('finds a document by ObjectId or string _id through the _id index, not a scan', async (context) => {
    if (!(await isFerretDb())) context.skip();
    const objectIds = file.db.collection('patch_check_objectids');
    const strings = file.db.collection('patch_check_strings');
    const id = new Types.ObjectId();
    await objectIds.insertMany([{ _id: id }, { _id: new Types.ObjectId() }]);
    await strings.insertMany([{ _id: 'a' as never }, { _id: 'b' as never }]);

    for (const [name, filter] of [
      ['patch_check_objectids', { _id: id }],
      ['patch_check_strings', { _id: 'a' }],
    ] as const) {
      const plan = await sqlitePlan(name, filter);
      expect(plan, `${name}: this FerretDB lacks scripts/ferretdb-patches; run scripts/build-ferretdb.sh`).toContain('USING INDEX');
      expect(plan).not.toMatch(/SCAN/);
    }
    // Same answers as before the patch: the lookup finds exactly the document asked for.
    expect(await objectIds.find({ _id: id }).toArray()).toEqual([{ _id: id }]);
    expect(await strings.find({ _id: 'b' as never }).toArray()).toEqual([{ _id: 'b' }]);
  });
});
