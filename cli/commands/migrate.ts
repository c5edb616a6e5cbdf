/**
 * `gatehouse migrate`: brings the app database's schema to this build's (or, with `--to`, up or
 * down to one of its migrations). The one job that changes the schema: compose runs it once
 * before the API and the workers, which refuse a schema they do not know.
 */
import { migrateTo, migrateToLatest, schemaStatus } from '../../db';
import { withRawDatabase } from '../database';

export interface MigrateOptions {
  to?: string;
}

export async function migrate(options: MigrateOptions): Promise<void> {
  await withRawDatabase(async (db) => {
    if (options.to !== undefined) {
      const { applied, reverted } = await migrateTo(db, options.to);
      if (reverted.length > 0) console.log(`reverted ${reverted.join(', ')}`);
      if (applied.length > 0) console.log(`applied ${applied.join(', ')}`);
      if (applied.length + reverted.length === 0) console.log(`already at ${options.to}`);
      return;
    }
    const applied = await migrateToLatest(db, undefined, (line) => console.log(line));
    const status = await schemaStatus(db);
    const latest = status.applied.at(-1) ?? '(none)';
    console.log(
      applied.length > 0
        ? `applied ${applied.join(', ')}; the schema is at ${latest}`
        : `the schema is up to date (${latest})`,
    );
  });
}
