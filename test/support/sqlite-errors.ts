/**
 * Jest setup file (each test file, before its tests): SQLite errors are `Error`s of this file.
 *
 * better-sqlite3 hands its native addon the `SqliteError` class once per process. Jest gives
 * each test file its own globals and module registry in one worker process, so from the
 * second file on, SQLite errors were made by an earlier file's class: not `instanceof Error`
 * here. `rejects.toThrow` then saw "nothing thrown" (an append-only trigger looked missing)
 * and app code asking `instanceof Error` (problem mapping, record-write retries) misread
 * them. Re-pointing the addon at this file's class gives each file errors of its own realm.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

interface Addon {
  setErrorConstructor(constructor: typeof BetterSqlite3.SqliteError): void;
}
type Bindings = (options: { bindings: string; module_root: string }) => Addon;

const packageJson = require.resolve('better-sqlite3/package.json');
// The addon better-sqlite3 loads (and Node caches): found the way the package finds it.
const bindings = createRequire(packageJson)('bindings') as Bindings;
const addon = bindings({ bindings: 'better_sqlite3.node', module_root: path.dirname(packageJson) });
addon.setErrorConstructor(BetterSqlite3.SqliteError);
