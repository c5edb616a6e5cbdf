/** Projects: start, list, read, every action (as workflow Updates), audit trail and inbox. */
import { randomUUID } from 'node:crypto';
import {
  getLatestVersion,
  getProjectState,
  getUsersByIds,
  getVersion,
  listAudit,
  listParticipantProjects,
  listProjects,
  upsertProjectSnapshot,
} from '../../db';
import {
  pendingActions,
  plannedVsActual,
  startProject as initialState,
} from '../../workflows/lifecycle';
import * as m from '../../workflows/messages';
import { checkParticipants, type Actor, type ProjectState } from '../../workflows/model';
import type { CtxFor, Handlers } from '../app';
import { HttpProblem, type FieldError } from '../problem';
import { streamEvents } from './events';

const actorOf = (ctx: { user: CtxFor<'me'>['user'] }): Actor => ({
  userId: ctx.user!.id,
  ...((ctx.user!.pmo || ctx.user!.admin) && { pmo: true }),
});

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

const invalid = (code: string, message: string, path: (string | number)[]) =>
  new HttpProblem(422, code, message, [{ path, code, message }]);

export const projectHandlers: Handlers<
  | 'startProject'
  | 'listProjects'
  | 'getProject'
  | 'signoff'
  | 'submitDeliverable'
  | 'completeStage'
  | 'raiseIssue'
  | 'resolveIssue'
  | 'extendHypercare'
  | 'recordKpi'
  | 'feedback'
  | 'conditionMet'
  | 'migrate'
  | 'resume'
  | 'retire'
  | 'cancel'
  | 'audit'
  | 'events'
  | 'inbox'
> = {
  async startProject({ deps, body, user }) {
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
    const problems: FieldError[] = checkParticipants(found.template, body.participants).map(
      (e) => ({
        path: ['body', ...e.path],
        code: e.code,
        message: e.message,
      }),
    );
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
    if (problems.length > 0) {
      throw new HttpProblem(
        422,
        'invalid_participants',
        'the participants do not satisfy the template',
        problems,
      );
    }
    const input = {
      projectId: randomUUID(),
      name: body.name,
      template: found.template,
      version: found.version,
      participants: body.participants,
      startedBy: user!.id,
    };
    await deps.temporal.client.workflow.start(m.PROJECT_WORKFLOW, {
      taskQueue: deps.temporal.taskQueue,
      workflowId: m.projectWorkflowId(input.projectId),
      args: [input],
    });
    // The worker writes the read model too; this makes the project listable at once.
    const { state } = initialState(input, Date.now()).machine;
    await upsertProjectSnapshot(deps.db, state);
    return summary(state);
  },

  async listProjects({ deps, query, user }) {
    // The portfolio is the PMO's. Others see the projects they take part in: listing one they
    // may not open (GET answers 403) would show its name, status and stage all the same.
    const portfolio = user!.pmo || user!.admin;
    return listProjects(deps.db, { ...query, ...(!portfolio && { participant: user!.id }) });
  },

  async getProject({ deps, params, projects }) {
    const state = await projects
      .handle(params.id)
      .query(m.stateQuery)
      .catch(async () => {
        // A project Temporal no longer holds (retention) is still served from the read model.
        const stored = await getProjectState(deps.db, params.id);
        if (!stored) throw new HttpProblem(404, 'not_found', `no project "${params.id}"`);
        return stored;
      });
    const template = await projects.template(state.template.key, state.template.version);
    const review = template?.nodes.find((n) => n.type === 'review');
    return {
      ...state,
      pir: template
        ? plannedVsActual(
            template,
            state.kpis,
            review?.type === 'review' ? review.metrics : undefined,
          )
        : [],
      ...(deps.temporalUiUrl && {
        links: {
          // The namespace the API's client (and so the project's workflow) lives in.
          temporalUi: `${deps.temporalUiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(deps.temporal.client.options.namespace)}/workflows/${encodeURIComponent(m.projectWorkflowId(state.id))}`,
        },
      }),
    };
  },

  signoff: (ctx) =>
    ctx.projects.act(
      ctx.params.id,
      m.signoffUpdate,
      { actor: actorOf(ctx), nodeId: ctx.params.nodeId, ...ctx.body },
      ctx.body.idempotencyKey,
    ),
  submitDeliverable: (ctx) =>
    ctx.projects.act(
      ctx.params.id,
      m.submitDeliverableUpdate,
      {
        actor: actorOf(ctx),
        nodeId: ctx.params.nodeId,
        deliverableId: ctx.params.deliverableId,
        ...ctx.body,
      },
      ctx.body.idempotencyKey,
    ),
  completeStage: (ctx) =>
    ctx.projects.act(
      ctx.params.id,
      m.completeStageUpdate,
      { actor: actorOf(ctx), nodeId: ctx.params.nodeId, ...ctx.body },
      ctx.body?.idempotencyKey,
    ),
  raiseIssue: (ctx) =>
    ctx.projects.act(
      ctx.params.id,
      m.raiseIssueUpdate,
      { actor: actorOf(ctx), ...ctx.body },
      ctx.body.idempotencyKey,
    ),
  resolveIssue: (ctx) =>
    ctx.projects.act(
      ctx.params.id,
      m.resolveIssueUpdate,
      { actor: actorOf(ctx), issueId: ctx.params.issueId, ...ctx.body },
      ctx.body?.idempotencyKey,
    ),
  extendHypercare: (ctx) =>
    ctx.projects.act(
      ctx.params.id,
      m.extendHypercareUpdate,
      { actor: actorOf(ctx), ...ctx.body },
      ctx.body.idempotencyKey,
    ),
  recordKpi: (ctx) =>
    ctx.projects.act(
      ctx.params.id,
      m.recordKpiUpdate,
      { actor: actorOf(ctx), ...ctx.body },
      ctx.body.idempotencyKey,
    ),
  feedback: (ctx) =>
    ctx.projects.act(
      ctx.params.id,
      m.feedbackUpdate,
      { actor: actorOf(ctx), ...ctx.body },
      ctx.body.idempotencyKey,
    ),
  conditionMet: (ctx) =>
    ctx.projects.act(
      ctx.params.id,
      m.conditionMetUpdate,
      { actor: actorOf(ctx), conditionId: ctx.params.conditionId, ...ctx.body },
      ctx.body?.idempotencyKey,
    ),
  resume: (ctx) =>
    ctx.projects.act(
      ctx.params.id,
      m.resumeUpdate,
      { actor: actorOf(ctx), ...ctx.body },
      ctx.body.idempotencyKey,
    ),
  retire: (ctx) =>
    ctx.projects.act(
      ctx.params.id,
      m.retireUpdate,
      { actor: actorOf(ctx), ...ctx.body },
      ctx.body.idempotencyKey,
    ),
  cancel: (ctx) =>
    ctx.projects.act(
      ctx.params.id,
      m.cancelUpdate,
      { actor: actorOf(ctx), ...ctx.body },
      ctx.body.idempotencyKey,
    ),

  async migrate(ctx) {
    const state = await getProjectState(ctx.deps.db, ctx.params.id);
    const target = state && (await getVersion(ctx.deps.db, state.template.key, ctx.body.version));
    if (!state || !target) {
      throw invalid(
        'unknown_version',
        `no published version ${ctx.body.version} of this project's template`,
        ['body', 'version'],
      );
    }
    return ctx.projects.act(
      ctx.params.id,
      m.migrateUpdate,
      { actor: actorOf(ctx), version: target.version, template: target.template },
      ctx.body.idempotencyKey,
    );
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

  async inbox({ deps, user, projects }) {
    const states = await listParticipantProjects(deps.db, user!.id, {
      statuses: ['active', 'on_hold'],
    });
    const items = [];
    for (const state of states) {
      const template = await projects.template(state.template.key, state.template.version);
      if (template) items.push(...pendingActions(state, template, user!.id));
    }
    items.sort((a, b) => (a.dueAt ?? Infinity) - (b.dueAt ?? Infinity));
    return { items };
  },
};
