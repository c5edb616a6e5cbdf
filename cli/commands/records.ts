/**
 * `gatehouse records repair [project]`: rebuilds what the workers write from what the
 * workflows know. Per project: the read model (and with it the inbox's open actions) from the
 * workflow's state (the state Query; for a completed workflow its result), `terminated` when
 * the workflow was ended outside Gatehouse, and every dead letter written again (as it was,
 * else with the characters no store can hold replaced). Prints one line per project.
 */
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { createActivities, type RecordedBatch } from '../../activities';
import { isPermanentWriteError, messageOf } from '../../activities/errors';
import { ApiEnv, temporalConnectionOptions, withTemporal, type WithTemporal } from '../../config';
import { checkTemporal, temporalFields } from '../../config/temporal';
import { ConfigError, parseEnv } from '../../config/variables';
import {
  getProjectState,
  listOpenDeadLetters,
  listProjects,
  markTerminated,
  resolveDeadLetter,
  syncOpenActions,
  upsertProjectSnapshot,
  type Database,
  type DeadLetter,
} from '../../db';
import { projectWorkflowId, stateQuery } from '../../workflows/messages';
import { sanitizeText, type ProjectState } from '../../workflows/model';
import type { projectLifecycle } from '../../workflows';
import { withDatabase } from '../database';
import { connectTemporal } from '../temporal';
import { CliError } from '../errors';

/** How long one project's workflow may take to answer. */
const ANSWER_MS = 10_000;
const ENDED_OUTSIDE = new Set(['TERMINATED', 'TIMED_OUT', 'FAILED', 'CANCELLED']);

/** What repair did to one project. */
export interface Repair {
  projectId: string;
  /** What changed, in words; empty when nothing did. */
  changes: string[];
  /** What could not be repaired (a dead letter that still fails, a workflow that did not answer). */
  problems: string[];
}

/** Repairs one project or every project (and every project with a dead letter). */
export async function repairRecords(
  db: Kysely<Database>,
  client: Client,
  projectId?: string,
): Promise<Repair[]> {
  const ids = projectId ? [projectId] : await everyProject(db);
  const repairs: Repair[] = [];
  for (const id of ids) repairs.push(await repairProject(db, client, id));
  return repairs;
}

async function everyProject(db: Kysely<Database>): Promise<string[]> {
  const ids = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await listProjects(db, { limit: 200, ...(cursor && { cursor }) });
    for (const p of page.items) ids.add(p.id);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  for (const letter of await listOpenDeadLetters(db)) ids.add(letter.projectId);
  return [...ids];
}

async function repairProject(db: Kysely<Database>, client: Client, id: string): Promise<Repair> {
  const repair: Repair = { projectId: id, changes: [], problems: [] };
  for (const letter of await listOpenDeadLetters(db, id)) await settle(db, letter, repair);

  const before = await getProjectState(db, id);
  const found = await workflowState(client, id);
  if (found.problem) repair.problems.push(found.problem);
  if (found.state) {
    const endedOutside =
      found.ended && (found.state.status === 'active' || found.state.status === 'on_hold');
    const state: ProjectState = endedOutside
      ? { ...found.state, status: 'terminated' }
      : found.state;
    const differences = describeDifferences(before, state);
    if (differences.length > 0) {
      await upsertProjectSnapshot(db, state, { force: true });
      repair.changes.push(...differences);
    }
  } else if (found.ended && before && (await markTerminated(db, id))) {
    repair.changes.push(`status ${before.status} → terminated`);
  }
  // The to-do rows are derived from the stored state: wrong ones (a write lost before this
  // build, a restored backup) are made right even when the state itself was.
  if (await syncOpenActions(db, id)) repair.changes.push('open actions rebuilt');
  return repair;
}

/** The workflow's state, and whether it was ended outside Gatehouse. */
async function workflowState(
  client: Client,
  id: string,
): Promise<{ state?: ProjectState; ended: boolean; problem?: string }> {
  const handle = client.workflow.getHandle<typeof projectLifecycle>(projectWorkflowId(id));
  const within = <T>(call: () => Promise<T>) => client.withDeadline(Date.now() + ANSWER_MS, call);
  let status: string;
  try {
    status = (await within(() => handle.describe())).status.name;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      return { ended: false, problem: 'no workflow (past retention?): read model kept' };
    }
    return { ended: false, problem: `workflow not described: ${messageOf(error)}` };
  }
  const ended = ENDED_OUTSIDE.has(status);
  try {
    // A closed workflow answers Queries too (a worker replays it); a completed one has a result.
    const state =
      status === 'COMPLETED'
        ? await within(() => handle.result())
        : await within(() => handle.query(stateQuery));
    return { state, ended };
  } catch (error) {
    return {
      ended,
      problem: `workflow state not read (is a worker running?): ${messageOf(error)}`,
    };
  }
}

/** What differs between the read model and the workflow's state, in words. */
function describeDifferences(before: ProjectState | undefined, after: ProjectState): string[] {
  if (!before) return [`read model written (status ${after.status}, seq ${after.seq})`];
  const changes: string[] = [];
  if (before.status !== after.status) changes.push(`status ${before.status} → ${after.status}`);
  const list = (ids: string[]) => `[${ids.join(', ')}]`;
  if (list(before.current) !== list(after.current)) {
    changes.push(`current ${list(before.current)} → ${list(after.current)}`);
  }
  if (before.seq !== after.seq) changes.push(`seq ${before.seq} → ${after.seq}`);
  if (changes.length === 0 && JSON.stringify(before) !== JSON.stringify(after)) {
    changes.push('state brought up to date');
  }
  return changes;
}

const Letter = z.object({
  audits: z.array(z.unknown()),
  notifications: z.array(z.unknown()),
});

/**
 * Writes a dead letter again (without its read-model snapshot: the read model is rebuilt from
 * the workflow). A permanent failure is tried once more with the characters no store can hold
 * replaced (U+FFFD), which is what records written before text was checked need.
 */
async function settle(db: Kysely<Database>, letter: DeadLetter, repair: Repair): Promise<void> {
  const { writeBatch } = createActivities({ db, log: quiet });
  if (!Letter.safeParse(letter.entry).success) {
    repair.problems.push(`dead letter ${letter.id}: not a record batch`);
    return;
  }
  // Written unfenced (db/fences.ts), as before attempts: later attempts have written since,
  // so the letter's own attempt would be stale; rows already held at its positions stay.
  const {
    project: _snapshot,
    attempt: _attempt,
    from: _from,
    ...batch
  } = letter.entry as RecordedBatch;
  try {
    await writeBatch(batch);
    await resolveDeadLetter(db, letter.id, 'written again by records repair');
    repair.changes.push(`dead letter ${letter.id} written`);
    return;
  } catch (error) {
    if (!isPermanentWriteError(error)) {
      repair.problems.push(`dead letter ${letter.id}: ${messageOf(error)}`);
      return;
    }
  }
  try {
    await writeBatch(sanitized(batch));
    const note = 'written again by records repair, characters no store can hold replaced';
    await resolveDeadLetter(db, letter.id, note);
    repair.changes.push(`dead letter ${letter.id} written (unstorable characters replaced)`);
  } catch (error) {
    repair.problems.push(`dead letter ${letter.id} still fails: ${messageOf(error)}`);
  }
}

/** Every string of `value` with the refused code points replaced. */
function sanitized<T>(value: T): T {
  if (typeof value === 'string') return sanitizeText(value) as T;
  if (Array.isArray(value)) return value.map(sanitized) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [sanitizeText(k), sanitized(v)]),
    ) as T;
  }
  return value;
}

const quiet = { info: () => undefined, warn: () => undefined };

/** The app database and Temporal, configured as the API and the workers are. */
const RepairEnv = z
  .object({ DATABASE_URL: ApiEnv.shape.DATABASE_URL, ...temporalFields })
  .superRefine(checkTemporal);

/** The command: connects to Temporal, repairs, prints a line per project and a summary. */
export async function repair(project: string | undefined): Promise<void> {
  let config: WithTemporal<z.output<typeof RepairEnv>>;
  try {
    config = withTemporal(parseEnv(RepairEnv, process.env), process.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(`configuration error: ${error.message}`);
    throw error;
  }
  const connection = await connectTemporal(temporalConnectionOptions(config.temporal));
  try {
    const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
    const repairs = await withDatabase((db) => repairRecords(db, client, project));
    for (const r of repairs) {
      const what = r.changes.length > 0 ? r.changes.join('; ') : 'unchanged';
      console.log(`${r.projectId}: ${what}`);
      for (const problem of r.problems) console.log(`${r.projectId}: not repaired: ${problem}`);
    }
    const changed = repairs.filter((r) => r.changes.length > 0).length;
    const failed = repairs.filter((r) => r.problems.length > 0).length;
    console.log(`repaired ${changed} of ${repairs.length} project(s); ${failed} with problems`);
    if (project !== undefined && repairs.length === 0)
      throw new CliError(`no project "${project}"`);
    if (failed > 0) throw new CliError(`${failed} project(s) could not be fully repaired`);
  } finally {
    await connection.close();
  }
}
