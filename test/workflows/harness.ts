/**
 * Runs real projects for workflow tests: a worker with the real activities on a temp SQLite
 * app database, on the run's Temporal dev server, with a task queue of its own.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { Kysely } from 'kysely';
import { createActivities, type ActivityDeps } from '../../activities';
import { insertUser, type Database } from '../../db';
import { PROJECT_WORKFLOW, projectWorkflowId, stateQuery } from '../../workflows/messages';
import {
  INPUT_REVISION,
  type ActionResult,
  type Participants,
  type ProjectState,
  type Rejection,
  type Template,
} from '../../workflows/model';
import type { projectLifecycle } from '../../workflows';
import { eachDatabase, openMigrated } from '../support/databases';
import {
  connectTestTemporal,
  startTestWorker,
  uniqueId,
  type RunningTestWorker,
} from '../support/temporal';

export const HISTORY_DIR = path.join(__dirname, '..', 'replay', 'histories');
export const PMO = 'pmo-1';

export interface Project {
  id: string;
  handle: WorkflowHandle<typeof projectLifecycle>;
  /**
   * Sends an Update as today's API does (with `rev`, unless given) and returns its result
   * (fails the test when refused).
   */
  act<A>(update: UpdateDefinition<ActionResult, [A]>, args: A): Promise<ActionResult>;
  /** Sends an Update that must be refused and returns the refusal. */
  refused<A>(update: UpdateDefinition<ActionResult, [A]>, args: A): Promise<Rejection>;
  state(): Promise<ProjectState>;
  /** Polls the state until `predicate` holds (timers fire on the server's clock). */
  until(predicate: (s: ProjectState) => boolean, timeoutMs?: number): Promise<ProjectState>;
  /** Writes this run's history to test/replay/histories when RECORD_HISTORIES=1. */
  recordHistory(name: string): Promise<void>;
}

export interface Projects {
  db: Kysely<Database>;
  taskQueue: string;
  start(
    template: Template,
    participants: Participants,
    options?: { name?: string; reviewsPerRun?: number; version?: number; startedAt?: number },
  ): Promise<Project>;
  stop(): Promise<void>;
}

/** Starts a worker with the real activities; `channels` adds webhook/e-mail sinks. */
export async function setupProjects(channels: Omit<ActivityDeps, 'db'> = {}): Promise<Projects> {
  const { client } = await connectTestTemporal();
  const database = await openMigrated(eachDatabase()[0]!);
  const db = database.db;
  const taskQueue = uniqueId('lifecycle');
  const worker: RunningTestWorker = await startTestWorker({
    taskQueue,
    activities: createActivities({ db, ...channels }),
  });
  const known = new Set<string>();
  const ensureUsers = async (ids: string[]) => {
    for (const id of ids) {
      if (known.has(id)) continue;
      known.add(id);
      await insertUser(db, { id, name: id, email: `${id}@example.test`, pmo: id === PMO });
    }
  };

  return {
    db,
    taskQueue,
    async start(template, participants, options = {}) {
      await ensureUsers([PMO, ...Object.values(participants).flat()]);
      const id = uniqueId('p');
      const handle = await client.workflow.start<typeof projectLifecycle>(PROJECT_WORKFLOW, {
        taskQueue,
        workflowId: projectWorkflowId(id),
        args: [
          {
            projectId: id,
            name: options.name ?? 'Test project',
            template,
            version: options.version ?? 1,
            participants,
            startedBy: PMO,
            rev: INPUT_REVISION,
            ...(options.startedAt !== undefined && { startedAt: options.startedAt }),
            ...(options.reviewsPerRun !== undefined && {
              options: { reviewsPerRun: options.reviewsPerRun },
            }),
          },
        ],
      });
      return projectOf(id, handle);
    },
    async stop() {
      await worker.stop();
      await database.close();
    },
  };
}

/** Test helpers over one project's workflow handle (also for projects started another way). */
export function projectOf(id: string, handle: WorkflowHandle<typeof projectLifecycle>): Project {
  const state = () => handle.query(stateQuery);
  const current = <A>(args: A): A => ({ rev: INPUT_REVISION, ...args });
  return {
    id,
    handle,
    act: (update, args) => handle.executeUpdate(update, { args: [current(args)] }),
    async refused(update, args) {
      const error = await handle.executeUpdate(update, { args: [current(args)] }).then(
        (result) => new Error(`expected a refusal, got ${JSON.stringify(result)}`),
        (e: unknown) => e,
      );
      if (!(error instanceof WorkflowUpdateFailedError)) throw error;
      const cause = error.cause;
      if (!(cause instanceof ApplicationFailure)) throw error;
      return cause.details?.[0] as Rejection;
    },
    state,
    async until(predicate, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const s = await state();
        if (predicate(s)) return s;
        if (Date.now() > deadline) {
          throw new Error(
            `condition not reached in ${timeoutMs} ms; state: ${JSON.stringify(s).slice(0, 2000)}`,
          );
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    recordHistory: (name) => recordHistory(handle, name),
  };
}

/**
 * Writes the history of `handle`'s run (its latest run unless the handle names one) to
 * test/replay/histories/<name>.binpb when RECORD_HISTORIES=1; any workflow type, not only
 * projects. The replay test takes the file name as the workflow id.
 */
export async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await handle.fetchHistory();
  mkdirSync(HISTORY_DIR, { recursive: true });
  // Binary protobuf: exact, and free of the JSON converter's module-identity checks.
  const bytes = temporal.api.history.v1.History.encode(history).finish();
  writeFileSync(path.join(HISTORY_DIR, `${name}.binpb`), bytes);
}

/** The patch ids the run's history recorded (its markers' `patch_data`). */
export async function patchesOf(project: Pick<Project, 'handle'>): Promise<string[]> {
  const history = await project.handle.fetchHistory();
  return (history.events ?? []).flatMap((event) => {
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_patch') return [];
    const data = marker.details?.['patch-data']?.payloads?.[0]?.data;
    if (!data) return [];
    const parsed = JSON.parse(Buffer.from(data).toString('utf8')) as { id?: string };
    return parsed.id === undefined ? [] : [parsed.id];
  });
}
