import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, resolveDatabase, resolveDataDir, withDefaultDbName } from './resolveDatabase.js';

describe('resolveDatabase: one rule for the server and the scripts', () => {
  it('takes a relative DATA_DIR from the repo root, whatever the working directory', () => {
    expect(resolveDataDir(undefined)).toBe(path.join(REPO_ROOT, '.data'));
    expect(resolveDataDir('var/parley')).toBe(path.join(REPO_ROOT, 'var/parley'));
    expect(resolveDataDir('/srv/parley')).toBe('/srv/parley');
    expect(path.join(REPO_ROOT, 'apps/server/src/db/resolveDatabase.ts')).toBe(new URL('./resolveDatabase.ts', import.meta.url).pathname);
  });

  it('uses MONGODB_URI when set, naming the database `parley` only when the URI names none', async () => {
    const log = () => {};
    expect(await resolveDatabase({ mongodbUri: 'mongodb://db.example:27017', dataDir: undefined, log })).toEqual({
      uri: 'mongodb://db.example:27017/parley',
      local: undefined,
    });
    expect((await resolveDatabase({ mongodbUri: 'mongodb://db.example/chat?retryWrites=false', dataDir: undefined, log })).uri).toBe(
      'mongodb://db.example/chat?retryWrites=false',
    );
    expect(withDefaultDbName('mongodb://u:p@db.example/?authSource=admin')).toBe('mongodb://u:p@db.example/parley?authSource=admin');
  });
});
