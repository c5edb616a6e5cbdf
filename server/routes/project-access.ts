/**
 * Access to one project: it must exist in the read model (404), and the caller must be one
 * of its participants or a PMO/admin user (403). Also the Temporal side of a project: its
 * handle, Updates and Queries within the action time limit, and their errors as problems.
 */
import {
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { LRUCache } from 'lru-cache';
import type { User } from '../../db';
import {
  delegatorsIn,
  getProjectSeq,
  getProjectState,
  getVersion,
  isParticipant,
  markTerminated,
  upsertProjectSnapshot,
} from '../../db';
import { actionUpdate, projectWorkflowId, stateQuery } from '../../workflows/messages';
import {
  REJECTIONS,
  Rejection,
  type ActionInput,
  type ActionName,
  type ActionResult,
  type ProjectState,
  type Template,
} from '../../workflows/model';
import type { projectLifecycle } from '../../workflows';
import type { AppDeps } from '../app';
import type { Access } from '../contract';
import type { ActionOutcome, Metrics } from '../metrics';
import { HttpProblem } from '../problem';
import { isCompletedError, isDroppedUpdate, isTemporalFault, unavailable } from './temporal-faults';

/** Default limit on waiting for Temporal (an action, a query): `ACTION_TIMEOUT`. */
export const DEFAULT_ACTION_TIMEOUT_MS = 10_000;

/** How often a read may have a project's workflow state compared with the read model. */
const RECONCILE_EVERY_MS = 30_000;
/** How long a read with a row to answer waits for Temporal's server to describe the workflow. */
const READ_GRACE_MS = 2_000;
/** How many projects' last comparison the API keeps before forgetting the old ones. */
const RECONCILE_REMEMBERED = 10_000;
/** How many published template versions the API keeps parsed. */
const TEMPLATES_KEPT = 64;

/** Workflow states that mean "ended outside Gatehouse" when the lifecycle did not close it. */
const ENDED_OUTSIDE = new Set(['TERMINATED', 'TIMED_OUT', 'FAILED', 'CANCELLED']);

export class ProjectAccess {
  /** Published versions never change: the most recently read are kept (parsed). */
  private readonly templates = new LRUCache<string, Template>({ max: TEMPLATES_KEPT });

  constructor(
    private readonly deps: AppDeps,
    private readonly metrics?: Metrics,
    /** Where unexpected failures of background work are reported (the app's `log`). */
    private readonly log: (message: string, fields: Record<string, unknown>) => void = (
      message,
      fields,
    ) => console.error(message, fields),
  ) {
    deps.stopping?.addEventListener('abort', () => {
      for (const running of this.inFlight) running.abort();
    });
  }

  /** The background work of {@link background} still running, to end when the API stops. */
  private readonly inFlight = new Set<AbortController>();

  get timeoutMs(): number {
    return this.deps.actionTimeoutMs ?? DEFAULT_ACTION_TIMEOUT_MS;
  }

  async template(key: string, version: number): Promise<Template | undefined> {
    const id = `${key}@${version}`;
    const cached = this.templates.get(id);
    if (cached) return cached;
    const found = await getVersion(this.deps.db, key, version);
    if (found) this.templates.set(id, found.template);
    return found?.template;
  }

  async check(id: string, user: User, access: Access): Promise<string[]> {
    const roles = await isParticipant(this.deps.db, id, user.id);
    if (roles.length === 0 && (await getProjectState(this.deps.db, id)) === undefined) {
      throw new HttpProblem(404, 'not_found', `no project "${id}"`);
    }
    if (access === 'project' && roles.length === 0 && !user.pmo && !user.admin) {
      // A delegate stands in for a participant: they may open the project and act for them.
      const delegators = await delegatorsIn(this.deps.db, user.id, id, Date.now());
      if (delegators.length === 0) {
        throw new HttpProblem(403, 'forbidden', 'you are not a participant of this project');
      }
    }
    return roles;
  }

  handle(id: string): WorkflowHandle<typeof projectLifecycle> {
    return this.deps.temporal.client.workflow.getHandle<typeof projectLifecycle>(
      projectWorkflowId(id),
    );
  }

  /** Runs a Temporal call that must answer within the action time limit (or by `deadline`). */
  bounded<T>(call: () => Promise<T>, deadline = Date.now() + this.timeoutMs): Promise<T> {
    return this.deps.temporal.client.withDeadline(deadline, call);
  }

  /**
   * Sends an Update, and sends it again while the server answers that it dropped it unapplied
   * and time remains. The workflow task that held it failed before the workflow took it
   * (`WorkflowNotReady`): that happens when the Update's own task ends the run (a retire, a last
   * gate) while an event came in, say a timer firing: the server refuses to close the run over
   * the new event, fails the task and drops the Update. Its record write is then superseded by
   * the next task's (db/fences.ts). Or the task completed without taking it (`UnprocessedUpdate`,
   * seen when many actions reach one project at once). Either way, sending it again under the
   * same Update id applies it once.
   */
  private async update(
    id: string,
    name: ActionName,
    input: ActionInput,
    updateId: string,
    deadline: number,
  ): Promise<ActionResult> {
    for (let pause = 50; ; pause = Math.min(pause * 2, 1_000)) {
      try {
        return await this.bounded(
          () => this.handle(id).executeUpdate(actionUpdate(name), { args: [input], updateId }),
          deadline,
        );
      } catch (error) {
        if (!isDroppedUpdate(error) || Date.now() + pause >= deadline) throw error;
        this.deps.logger?.info(
          { projectId: id, action: name, updateId },
          "the project's workflow dropped this action unapplied; sending it again",
        );
        await sleep(pause);
      }
    }
  }

  /** Sends an action as an Update; a refusal becomes the problem its reason calls for. */
  async act(
    id: string,
    name: ActionName,
    input: ActionInput,
    updateId?: string,
  ): Promise<ActionResult> {
    const started = process.hrtime.bigint();
    const observe = (outcome: ActionOutcome) =>
      this.metrics?.action({
        action: name,
        outcome,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
        // Bounded: the contract admits only the decisions a gate knows.
        ...('decision' in input && { decision: input.decision }),
      });
    try {
      const deadline = Date.now() + this.timeoutMs;
      const result = await this.update(id, name, input, updateId ?? randomUUID(), deadline);
      observe('accepted');
      return result;
    } catch (error) {
      // Out of time, whatever the client's last error was: the project did not answer in time.
      const late = Number(process.hrtime.bigint() - started) / 1e6 >= this.timeoutMs;
      const problem =
        late && isTemporalFault(error)
          ? unavailable(error, this.timeoutMs, true)
          : await this.problemOf(id, error);
      observe(problem instanceof HttpProblem && problem.status < 500 ? 'refused' : 'error');
      throw problem;
    }
  }

  /**
   * The project's state as recorded: the read model, written before every action answered and
   * by every timer's decision. Temporal is asked only what the read model cannot know: whether
   * an open project's workflow was ended outside Gatehouse (`describe`, Temporal's server
   * alone, no worker), which marks it `terminated`; a read with a row to answer waits for that
   * at most {@link READ_GRACE_MS}. The workflow's own state is asked only for a project the read
   * model does not hold yet, and otherwise in the background ({@link reconcile}): a read never
   * waits for a worker, so a project opens at once while no worker polls.
   */
  async state(id: string): Promise<ProjectState> {
    const stored = await getProjectState(this.deps.db, id);
    if (stored && stored.status !== 'active' && stored.status !== 'on_hold') {
      // Ended in the read model: `describe` could change nothing (only an open project is
      // marked terminated); a reset that reopened its workflow is the comparison's to find.
      this.reconcile(id);
      return stored;
    }
    const status = await this.workflowStatus(id, stored !== undefined);
    if (status !== undefined && ENDED_OUTSIDE.has(status)) {
      await markTerminated(this.deps.db, id);
    } else if (stored) {
      this.reconcile(id);
      return stored;
    } else if (status !== undefined) {
      const live = await this.liveState(id);
      if (live) return live;
    }
    const state = await getProjectState(this.deps.db, id);
    if (!state) throw new HttpProblem(404, 'not_found', `no project "${id}"`);
    return state;
  }

  /**
   * The workflow's status as Temporal's server tells it, or none (no such workflow, or no answer
   * in time). With a row to answer (`stored`) only briefly: an answer that comes later still
   * marks a project whose workflow was ended outside Gatehouse, for the next read and the
   * project's open streams.
   */
  private async workflowStatus(id: string, stored: boolean): Promise<string | undefined> {
    const described = this.background(() =>
      this.bounded(() => this.handle(id).describe()).then(
        (description) => description.status.name,
        (error: unknown) => {
          if (error instanceof WorkflowNotFoundError || isTemporalFault(error)) return undefined;
          throw error;
        },
      ),
    );
    if (!stored) return described;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), Math.min(READ_GRACE_MS, this.timeoutMs));
    });
    const first = await Promise.race([described, late]).finally(() => clearTimeout(timer));
    if (first !== 'late') return first;
    described
      .then(async (status) => {
        if (status !== undefined && ENDED_OUTSIDE.has(status)) {
          await markTerminated(this.deps.db, id);
        }
      })
      .catch((error: unknown) => this.backgroundFailed('checking a workflow ended', id, error));
    return undefined;
  }

  /** Projects whose workflow state was compared with the read model lately. */
  private readonly reconciled = new LRUCache<string, true>({
    max: RECONCILE_REMEMBERED,
    ttl: RECONCILE_EVERY_MS,
  });

  /**
   * Compares the workflow's state with the read model, at most once per project every
   * {@link RECONCILE_EVERY_MS} and never twice at once: a workflow reset to an earlier point
   * (its sequence went back), or a record write of a workflow task attempt that never reached
   * the history, leaves the read model ahead of the workflow; the workflow's state then
   * replaces it, and the project's open streams receive it. Never awaited by a read.
   */
  private reconcile(id: string): void {
    if (this.reconciled.has(id)) return;
    this.reconciled.set(id, true);
    if (this.deps.stopping?.aborted) return;
    this.background(() => this.liveState(id)).catch((error: unknown) =>
      this.backgroundFailed("comparing a project's workflow state with the read model", id, error),
    );
  }

  /**
   * Runs `call`'s Temporal calls so that they end when the API stops (`stopping`). Each gets a
   * signal of its own: the client adds a listener to the signal of every call it makes and
   * never removes it, which on the API's one long-lived signal would keep one per read.
   */
  private background<T>(call: () => Promise<T>): Promise<T> {
    if (!this.deps.stopping) return call();
    const own = new AbortController();
    this.inFlight.add(own);
    return this.deps.temporal.client
      .withAbortSignal(own.signal, call)
      .finally(() => this.inFlight.delete(own));
  }

  /** Reports what failed in the background, unless the API stopped it. */
  private backgroundFailed(what: string, id: string, error: unknown): void {
    if (this.deps.stopping?.aborted) return; // The next read asks again.
    this.log(`${what} failed`, {
      projectId: id,
      error: error instanceof Error ? error.message : String(error),
    });
  }

  /**
   * The workflow's state within the time limit, or none when it does not answer (no worker, or
   * gone). A read model ahead of it is rewritten to it.
   */
  private async liveState(id: string): Promise<ProjectState | undefined> {
    const live = await this.bounded(() => this.handle(id).query(stateQuery)).catch(
      (error: unknown) => {
        if (isTemporalFault(error) || error instanceof WorkflowNotFoundError) return undefined;
        throw error;
      },
    );
    if (!live) return undefined;
    const seq = await getProjectSeq(this.deps.db, id);
    if (seq !== undefined && live.seq < seq) {
      this.deps.logger?.info(
        { projectId: id, workflowSeq: live.seq, storedSeq: seq },
        'the read model was ahead of the workflow (a reset, or an attempt that never reached ' +
          'the history): rewritten to its state',
      );
      await upsertProjectSnapshot(this.deps.db, live, { force: true });
    }
    return live;
  }

  async problemOf(id: string, error: unknown): Promise<unknown> {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
      const parsed = Rejection.safeParse(error.cause.details?.[0]);
      if (parsed.success) {
        const r = parsed.data;
        const errors = r.errors ?? [{ path: r.path ?? [], code: r.code, message: r.message }];
        return new HttpProblem(
          REJECTIONS[r.code],
          r.code,
          r.message,
          errors.map((e) => ({ ...e, path: ['body', ...e.path] })),
        );
      }
    }
    if (error instanceof WorkflowNotFoundError || isCompletedError(error)) {
      const state = await getProjectState(this.deps.db, id);
      const open = state?.status === 'active' || state?.status === 'on_hold';
      // Open in the read model, gone in Temporal: ended outside Gatehouse.
      if (open) await markTerminated(this.deps.db, id);
      if (open || state?.status === 'terminated') {
        const message = 'the project was ended outside Gatehouse';
        return new HttpProblem(409, 'project_terminated', message);
      }
      if (state) return new HttpProblem(409, 'project_closed', `the project is ${state.status}`);
      return new HttpProblem(404, 'not_found', `no running project "${id}"`);
    }
    if (isTemporalFault(error) || isDroppedUpdate(error)) return unavailable(error, this.timeoutMs);
    return error;
  }
}
