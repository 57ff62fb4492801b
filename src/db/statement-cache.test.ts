import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { StatementCache } from './statement-cache.js';

describe('StatementCache', () => {
  let connection: SQLite.Database | undefined;
  afterEach(() => connection?.open && connection.close());

  it('prepares each SQL text once and answers every run of it with current data', () => {
    connection = new SQLite(':memory:');
    const cache = new StatementCache(connection);
    cache.prepare('create table t (n integer)').run([]);
    const insert = cache.prepare('insert into t values (?)');
    expect(cache.prepare('insert into t values (?)')).toBe(insert);
    insert.run([1]);
    cache.prepare('insert into t values (?)').run([2]);
    expect(cache.prepare('select n from t order by n').all([])).toEqual([{ n: 1 }, { n: 2 }]);
    cache.prepare('insert into t values (?)').run([3]);
    expect(cache.prepare('select n from t order by n').all([])).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('stays bounded however many texts it sees', () => {
    connection = new SQLite(':memory:');
    const cache = new StatementCache(connection);
    for (let i = 0; i < 2000; i += 1) cache.prepare(`select ${i} as n`);
    expect(cache.size).toBeLessThanOrEqual(500);
    expect(cache.prepare('select 1999 as n').all([])).toEqual([{ n: 1999 }]);
  });
});
