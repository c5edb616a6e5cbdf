/**
 * Access to one project: it must exist in the read model (404), and the caller must be one
 * of its participants or a PMO/admin user (403). Also the Temporal handle and error mapping.
 */
import {
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type { User } from '../../db';
import { getProjectState, getVersion, isParticipant } from '../../db';
import { projectWorkflowId, signoffUpdate } from '../../workflows/messages';
import { REJECTIONS, Rejection, type ActionResult, type Template } from '../../workflows/model';
import type { projectLifecycle } from '../../workflows';
import type { AppDeps } from '../app';
import type { Access } from '../contract';
import type { ActionOutcome, Metrics } from '../metrics';
import { HttpProblem } from '../problem';

export class ProjectAccess {
  /** Published versions never change, so they are cached for the life of the process. */
  private readonly templates = new Map<string, Template>();

  constructor(
    private readonly deps: AppDeps,
    private readonly metrics?: Metrics,
  ) {}

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
      throw new HttpProblem(403, 'forbidden', 'you are not a participant of this project');
    }
    return roles;
  }

  handle(id: string): WorkflowHandle<typeof projectLifecycle> {
    return this.deps.temporal.client.workflow.getHandle<typeof projectLifecycle>(
      projectWorkflowId(id),
    );
  }

  /** Sends an action as an Update; a refusal becomes the problem its reason calls for. */
  async act<A>(
    id: string,
    update: UpdateDefinition<ActionResult, [A]>,
    args: A,
    idempotencyKey?: string,
  ): Promise<ActionResult> {
    const started = process.hrtime.bigint();
    const observe = (outcome: ActionOutcome) =>
      this.metrics?.action({
        action: update.name,
        outcome,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
        // Bounded: the contract admits only the decisions a gate knows.
        ...(update.name === signoffUpdate.name && {
          decision: String((args as { decision?: unknown }).decision),
        }),
      });
    try {
      const result = await this.handle(id).executeUpdate(update, {
        args: [args],
        ...(idempotencyKey !== undefined && { updateId: `${update.name}:${idempotencyKey}` }),
      });
      observe('accepted');
      return result;
    } catch (error) {
      const problem = await this.problemOf(id, error);
      observe(problem instanceof HttpProblem && problem.status < 500 ? 'refused' : 'error');
      throw problem;
    }
  }

  private async problemOf(id: string, error: unknown): Promise<unknown> {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
      const parsed = Rejection.safeParse(error.cause.details?.[0]);
      if (parsed.success) {
        const r = parsed.data;
        const path = ['body', ...(r.path ?? [])];
        return new HttpProblem(REJECTIONS[r.code], r.code, r.message, [
          { path, code: r.code, message: r.message },
        ]);
      }
    }
    if (error instanceof WorkflowNotFoundError || isCompletedError(error)) {
      const state = await getProjectState(this.deps.db, id);
      if (state && state.status !== 'active' && state.status !== 'on_hold') {
        return new HttpProblem(409, 'project_closed', `the project is ${state.status}`);
      }
      return new HttpProblem(404, 'not_found', `no running project "${id}"`);
    }
    return error;
  }
}

function isCompletedError(error: unknown): boolean {
  return (
    error instanceof Error &&
    /already completed|workflow execution.*(completed|not found)/i.test(error.message)
  );
}
