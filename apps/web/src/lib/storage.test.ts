import { describe, expect, it } from 'vitest';
import { readJson, STORAGE_VERSION, writeJson } from './storage';

const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');

describe('versioned storage', () => {
  it('stores data with the version of its shape and reads it back', () => {
    writeJson('k', ['a', 'b']);
    expect(JSON.parse(localStorage.getItem('k')!)).toEqual({ version: STORAGE_VERSION, data: ['a', 'b'] });
    expect(readJson('k', isStringList)).toEqual(['a', 'b']);
  });

  it('ignores data of a version it does not know, and a later write replaces it', () => {
    localStorage.setItem('k', JSON.stringify({ version: STORAGE_VERSION + 1, data: ['from a newer tab'] }));
    expect(readJson('k', isStringList)).toBeNull();
    localStorage.setItem('k', JSON.stringify({ version: 'one', data: ['odd'] }));
    expect(readJson('k', isStringList)).toBeNull();

    writeJson('k', ['mine']);
    expect(readJson('k', isStringList)).toEqual(['mine']);
  });

  it('reads what was stored before versions existed as the first version', () => {
    localStorage.setItem('k', JSON.stringify(['queued before the upgrade']));
    expect(readJson('k', isStringList)).toEqual(['queued before the upgrade']);
  });

  it('treats garbage and wrong shapes as nothing stored', () => {
    localStorage.setItem('k', '{not json');
    expect(readJson('k', isStringList)).toBeNull();
    localStorage.setItem('k', JSON.stringify({ version: STORAGE_VERSION, data: [1, 2] }));
    expect(readJson('k', isStringList)).toBeNull();
    expect(readJson('missing', isStringList)).toBeNull();
  });
});
