/** Projects: start, list, read, audit trail and inbox (the actions are in ./actions.ts). */
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import {
  activeDelegations,
  claimStart,
  getLatestVersion,
  getProjectState,
  getStart,
  getUsersByIds,
  getVersion,
  listAudit,
  listOpenActions,
  listProjects,
  upsertProjectSnapshot,
  type DelegatedScope,
  type TemplateVersion,
} from '../../db';
import {
  plannedVsActual,
  startProject as initialState,
  type PendingAction,
} from '../../workflows/lifecycle';
import * as m from '../../workflows/messages';
import {
  canonicalJson,
  checkParticipants,
  deliveryStanding,
  issueStandings,
  IdempotencyKey,
  INPUT_REVISION,
  sha256Hex,
  type ProjectInput,
  type ProjectState,
} from '../../workflows/model';
import type { CtxFor, Handlers } from '../app';
import { HttpProblem, type FieldError } from '../problem';
import { refuseUnrunnable } from '../runnable-versions';
import { streamEvents } from './events';
import { withFeedbackTexts } from './inbox';
import { hydrateState } from './hydrate';
import { checkPortfolioFilters } from './portfolio';
import { isTemporalFault, temporalUnavailable } from './temporal-faults';

function summary(state: ProjectState) {
  const { id, name, template, status, current, startedBy, startedAt, updatedAt, endedAt } = state;
  return {
    id,
    name,
    template,
    status,
    current,
    startedBy,
    startedAt,
    updatedAt,
    ...(endedAt !== undefined && { endedAt }),
  };
}

/**
 * How long after a start key's first try another try may still be running beside it, beyond
 * the time a try waits for Temporal: such tries share the first one's start time.
 */
const START_OVERLAP_MS = 5_000;

const invalid = (code: string, message: string, path: (string | number)[]) =>
  new HttpProblem(422, code, message, [{ path, code, message }]);

/** The `Idempotency-Key` header of a start, if sent (400 when it is not a key). */
function startKey(ctx: CtxFor<'startProject'>): string | undefined {
  const header = ctx.req.headers['idempotency-key'];
  if (header === undefined) return undefined;
  const parsed = IdempotencyKey.safeParse(header);
  if (parsed.success) return parsed.data;
  const message = 'an Idempotency-Key is 1 to 200 visible ASCII characters, sent once';
  throw new HttpProblem(400, 'invalid_request', message, [
    { path: ['headers', 'idempotency-key'], code: 'invalid_idempotency_key', message },
  ]);
}

/** The project id a user's start key names: the same key, the same project. */
function projectIdOf(userId: string, key: string): string {
  const hex = sha256Hex(canonicalJson(['project', userId, key]));
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Every reason these participants cannot start a project on `found` (empty: they can). */
async function participantProblems(
  ctx: CtxFor<'startProject'>,
  found: TemplateVersion,
): Promise<FieldError[]> {
  const { body, deps } = ctx;
  const problems: FieldError[] = checkParticipants(found.template, body.participants).map((e) => ({
    path: ['body', ...e.path],
    code: e.code,
    message: e.message,
  }));
  const ids = [...new Set(Object.values(body.participants).flat())];
  const known = new Set((await getUsersByIds(deps.db, ids)).map((u) => u.id));
  for (const [role, users] of Object.entries(body.participants)) {
    users.forEach((u, i) => {
      if (!known.has(u))
        problems.push({
          path: ['body', 'participants', role, i],
          code: 'unknown_user',
          message: `no user "${u}"`,
        });
    });
  }
  return problems;
}

export const projectHandlers: Handlers<
  'startProject' | 'listProjects' | 'getProject' | 'audit' | 'events' | 'inbox'
> = {
  /**
   * Starts a project. With an `Idempotency-Key`, the project id is derived from (caller, key)
   * and the key is claimed before anything starts: concurrent retries start one project, a
   * retry after success answers that project, another body under the key is 422. Once the
   * workflow runs, nothing answers 500: the read model is the worker's to write.
   */
  async startProject(ctx) {
    const { deps, body, user, projects } = ctx;
    const key = startKey(ctx);
    const fingerprint = sha256Hex(canonicalJson(body)).slice(0, 32);
    let projectId = key ? projectIdOf(user!.id, key) : randomUUID();
    if (key) {
      const prior = await getStart(deps.db, user!.id, key);
      if (prior && prior.fingerprint !== fingerprint) throw startKeyReused();
      if (prior) {
        projectId = prior.projectId;
        const started = await getProjectState(deps.db, projectId);
        if (started) return summary(started);
        // Claimed by an earlier try that did not get to start it: start it now.
      }
    }
    const found = body.version
      ? await getVersion(deps.db, body.template, body.version)
      : await getLatestVersion(deps.db, body.template);
    if (!found) {
      const what = body.version
        ? `version ${body.version} of "${body.template}"`
        : `"${body.template}"`;
      throw invalid('unknown_template', `no published template ${what}`, [
        'body',
        body.version ? 'version' : 'template',
      ]);
    }
    refuseUnrunnable(found.template, found.version, [
      'body',
      body.version ? 'version' : 'template',
    ]);
    const problems = await participantProblems(ctx, found);
    if (problems.length > 0) {
      throw new HttpProblem(
        422,
        'invalid_participants',
        'the participants cannot run this template: every shortfall is listed',
        problems,
      );
    }
    // The project's start time, on this API's clock: listed with it at once and passed to the
    // workflow, which starts at it. Tries of one key that may overlap pass their claim's time:
    // whichever starts the workflow, the snapshot each writes is the workflow's own first state.
    // A try long after one that never started it (Temporal was out of reach) starts it now.
    const now = Date.now();
    let startedAt = now;
    if (key) {
      const claim = await claimStart(deps.db, {
        userId: user!.id,
        key,
        fingerprint,
        projectId,
        createdAt: startedAt,
      });
      if (claim.request.fingerprint !== fingerprint) throw startKeyReused();
      projectId = claim.request.projectId;
      if (now - claim.request.createdAt <= projects.timeoutMs + START_OVERLAP_MS) {
        startedAt = claim.request.createdAt;
      }
    }
    const input: ProjectInput = {
      projectId,
      name: body.name,
      template: found.template,
      version: found.version,
      participants: body.participants,
      startedBy: user!.id,
      startedAt,
      rev: INPUT_REVISION,
    };
    try {
      await projects.bounded(() =>
        deps.temporal.client.workflow.start(m.PROJECT_WORKFLOW, {
          taskQueue: deps.temporal.taskQueue,
          workflowId: m.projectWorkflowId(projectId),
          // A closed project's id is never reused: a late retry finds the same project.
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          workflowTaskTimeout: m.WORKFLOW_TASK_TIMEOUT,
          args: [input],
        }),
      );
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) {
        // A start needs no worker: no answer in time means Temporal itself is not answering.
        if (isTemporalFault(error)) throw temporalUnavailable(error);
        throw error;
      }
      // Started by an earlier try of this key: the same project.
    }
    const { state } = initialState(input, startedAt).machine;
    try {
      // Listable at once, as the workflow starts; the worker writes the same row on, newer
      // snapshots win.
      await upsertProjectSnapshot(deps.db, state);
    } catch (error) {
      deps.logger?.warn({ err: error, projectId }, 'initial read-model write failed');
    }
    const stored = await getProjectState(deps.db, projectId).catch(() => undefined);
    return summary(stored ?? state);
  },

  async listProjects({ deps, query, user }) {
    // The portfolio is the PMO's. Others see the projects they take part in: listing one they
    // may not open (GET answers 403) would show its name, status and stage all the same.
    const portfolio = user!.pmo || user!.admin;
    checkPortfolioFilters(query);
    return listProjects(deps.db, { ...query, ...(!portfolio && { participant: user!.id }) });
  },

  async getProject({ deps, params, projects }) {
    const state = await hydrateState(deps.db, await projects.state(params.id));
    const template = await projects.template(state.template.key, state.template.version);
    const review = template?.nodes.find((n) => n.type === 'review');
    return {
      ...state,
      pir: template
        ? plannedVsActual(
            template,
            state.kpis,
            review?.type === 'review' ? review.metrics : undefined,
            state.metrics,
          )
        : [],
      issueStandings: issueStandings(state.issues, Date.now()),
      ...(template && { delivery: deliveryStanding(template, state, Date.now()) }),
      ...(deps.temporalUiUrl && {
        links: {
          // The namespace the API's client (and so the project's workflow) lives in.
          temporalUi: `${deps.temporalUiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(deps.temporal.client.options.namespace)}/workflows/${encodeURIComponent(m.projectWorkflowId(state.id))}`,
        },
      }),
    };
  },

  async audit({ deps, params, query }) {
    const afterSeq = query.cursor === undefined ? undefined : Number(query.cursor);
    if (afterSeq !== undefined && !Number.isSafeInteger(afterSeq)) {
      throw new HttpProblem(400, 'invalid_request', 'not a cursor of this list', [
        { path: ['query', 'cursor'], code: 'invalid_cursor', message: 'unknown cursor' },
      ]);
    }
    const limit = query.limit ?? 100;
    const items = await listAudit(deps.db, params.id, {
      limit,
      ...(afterSeq !== undefined && { afterSeq }),
    });
    const last = items.at(-1);
    return items.length === limit && last ? { items, nextCursor: String(last.seq) } : { items };
  },

  events: (ctx) => streamEvents(ctx),

  /**
   * The caller's own to-dos, and the sign-offs they may give now for whoever they stand in
   * for: a page of the open-actions table (kept by the record write), due first.
   */
  async inbox({ deps, user, query }) {
    const delegations = await activeDelegations(deps.db, user!.id, Date.now());
    // One scope per delegator: every project if any of their delegations covers all.
    const scopes = new Map<string, DelegatedScope>();
    for (const d of delegations) {
      const prior = scopes.get(d.delegatorId);
      const all = d.projectId === undefined || (prior !== undefined && !prior.projectIds);
      const projectIds = [...(prior?.projectIds ?? []), ...(d.projectId ? [d.projectId] : [])];
      scopes.set(d.delegatorId, { delegatorId: d.delegatorId, ...(!all && { projectIds }) });
    }
    const page = await listOpenActions(deps.db, user!.id, {
      ...query,
      delegated: [...scopes.values()],
    });
    const names = new Map(
      (await getUsersByIds(deps.db, [...scopes.keys()])).map((u) => [u.id, u.name] as const),
    );
    const items = page.items.map(({ userId, ...item }): PendingAction =>
      userId === user!.id
        ? item
        : { ...item, onBehalfOf: { id: userId, name: names.get(userId) ?? userId } },
    );
    return { ...page, items: await withFeedbackTexts(deps.db, items) };
  },
};

function startKeyReused(): HttpProblem {
  const message = 'this Idempotency-Key already started a project with another body; use a new key';
  return new HttpProblem(422, 'idempotency_key_reused', message, [
    { path: ['headers', 'idempotency-key'], code: 'idempotency_key_reused', message },
  ]);
}
