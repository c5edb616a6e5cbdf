/**
 * `gatehouse template impact <file|key> [--version n]`: what a template change would do to
 * every running project of its template, before it ships (issue 15). A file is analysed as a
 * draft; a key as its saved draft, or as a published version with `--version`. Each project is
 * read from its workflow history in Temporal; the job is the one the API runs, driven here to
 * its end. Prints one line per project, then the counts per class.
 */
import { stat } from 'node:fs/promises';
import { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { ApiEnv, temporalConnectionOptions, withTemporal, type WithTemporal } from '../../config';
import { checkTemporal, temporalFields } from '../../config/temporal';
import { ConfigError, parseEnv } from '../../config/variables';
import { getDraft, listImpacts, SYSTEM_USER, type Database } from '../../db';
import type { ImpactBody } from '../../server/contract';
import { advanceImpact, candidateOf, impactJob, startImpact } from '../../server/impact/jobs';
import { HttpProblem } from '../../server/problem';
import type { ProjectImpact } from '../../workflows/model';
import { withDatabase } from '../database';
import { connectTemporal } from '../temporal';
import { CliError } from '../errors';
import { readJsonFile, validOrReport } from './template';

/** Projects analysed per step (progress is printed between steps). */
const STEP = 50;

const ImpactEnv = z
  .object({ DATABASE_URL: ApiEnv.shape.DATABASE_URL, ...temporalFields })
  .superRefine(checkTemporal);

/** The app database and Temporal settings (`records repair`'s), or a configuration error. */
export function impactEnv(): WithTemporal<z.output<typeof ImpactEnv>> {
  try {
    return withTemporal(parseEnv(ImpactEnv, process.env), process.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(`configuration error: ${error.message}`);
    throw error;
  }
}

export async function impact(target: string, options: { version?: number }): Promise<void> {
  const config = impactEnv();
  const fromFile = await isFile(target);
  // A file is checked before anything is opened: an invalid one stops here (exit 1).
  const file = fromFile ? validOrReport(target, await readJsonFile(target)) : undefined;
  if (file && options.version !== undefined) {
    throw new CliError('--version names a published version of a key, not of a file');
  }
  const connection = await connectTemporal(temporalConnectionOptions(config.temporal));
  try {
    const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
    await withDatabase(async (db) => {
      const key = file?.key ?? target;
      const body = file ? { template: file } : await bodyOfKey(db, key, options.version);
      const candidate = await answer(() => candidateOf(db, key, body));
      const what = `${key} ${candidate.draft ? `draft (as v${candidate.version})` : `v${candidate.version}`}`;
      const jobId = await startImpact({ db, client }, key, candidate, SYSTEM_USER, STEP);
      let job = await impactJob(db, key, jobId);
      while (job.done < job.total) {
        console.error(`gatehouse: analysed ${job.done} of ${job.total} project(s)`);
        await advanceImpact({ db, client }, key, jobId, STEP);
        job = await impactJob(db, key, jobId);
      }
      let cursor: string | undefined;
      do {
        const page = await listImpacts(db, job.id, { limit: 200, ...(cursor && { cursor }) });
        for (const item of page.items) console.log(lineOf(item));
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      const { unchanged, differs, blocked } = job.summary;
      console.log(
        `${what} against ${job.total} running project(s): ` +
          `${unchanged} unchanged, ${differs} differ, ${blocked} blocked`,
      );
    });
  } finally {
    await connection.close();
  }
}

/** One project: where it stands (and would), its class and what differs. */
export function lineOf(item: ProjectImpact): string {
  const here = item.current.join(',') || '-';
  const there = item.wouldStand.join(',') || '-';
  const stands = here === there ? here : `${here} → ${there}`;
  const why = item.differences.map((d) => d.message).join('; ');
  const name = item.name !== undefined ? ` "${item.name}"` : '';
  return `${item.projectId}${name}  ${item.class.padEnd(9)}  v${item.version} ${stands}${why ? `  ${why}` : ''}`;
}

async function bodyOfKey(
  db: Kysely<Database>,
  key: string,
  version: number | undefined,
): Promise<ImpactBody> {
  if (version !== undefined) return { version };
  const draft = await getDraft(db, key);
  if (!draft) {
    throw new CliError(`no file "${key}", and template ${key} has no draft (or name --version)`);
  }
  return { template: draft.body };
}

/** The API's refusals (unknown version, invalid draft) as the CLI's, each error on a line. */
export async function answer<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof HttpProblem)) throw error;
    for (const e of error.errors) console.error(`${e.path.join('.')}: ${e.message}`);
    throw new CliError(error.message);
  }
}

async function isFile(target: string): Promise<boolean> {
  try {
    return (await stat(target)).isFile();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
