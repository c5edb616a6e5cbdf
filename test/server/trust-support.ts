/**
 * What the trust tests (issue 8) and those of issue 13 share: small templates that start where
 * the test needs to be (hypercare, a PIR, a monitor), published and started over HTTP by a PMO
 * with the seats the test names, people, and how they read the project and their inbox.
 */
import type { ProjectView } from '../../server/contract';
import type { projectLifecycle } from '../../workflows';
import type { PendingAction } from '../../workflows/lifecycle';
import { PROJECT_WORKFLOW, projectWorkflowId } from '../../workflows/messages';
import { INPUT_REVISION, type ProjectInput, type Template } from '../../workflows/model';
import { connectTestTemporal } from '../support/temporal';
import {
  bodyOf,
  createUser,
  eventually,
  expectStatus,
  startProject,
  type ApiUser,
} from './drive-http';

export {
  hypercareTemplate,
  monitorTemplate,
  FRONTLINE_ROLE,
  PM_AND_OPS_SIGN,
  pmOpsTemplate,
} from '../fixtures/trust-templates';
import type { ApiStack, Reply } from './stack';

/** The PMO and people of a trust test: `pat` (pm) and two ops users. */
export interface People {
  pmo: ApiUser;
  pat: ApiUser;
  olga: ApiUser;
  omar: ApiUser;
}

export async function people(api: ApiStack, prefix: string): Promise<People> {
  return {
    pmo: await createUser(api, `${prefix}-pmo`, { pmo: true }),
    pat: await createUser(api, `${prefix}-pat`),
    olga: await createUser(api, `${prefix}-olga`),
    omar: await createUser(api, `${prefix}-omar`),
  };
}

/** Saves `template` as a draft and publishes it; answers the version. */
export async function publish(
  api: Pick<ApiStack, 'call'>,
  pmo: Pick<ApiUser, 'token'>,
  template: Template,
): Promise<number> {
  const path = `/api/templates/${template.key}`;
  expectStatus(
    await api.call('PUT', `${path}/draft`, { token: pmo.token, body: template }),
    200,
    'save draft',
  );
  const published = await api.call('POST', `${path}/publish`, { token: pmo.token });
  return expectStatus(published, 201, 'publish').body.version as number;
}

/**
 * Publishes `template` and starts project `projectId` of it straight through Temporal (pat the
 * pm, olga and omar ops), continuing as new after every second monitor review; waits until the
 * read model has it. Answers the workflow's handle.
 */
export async function startContinuingProject(
  api: ApiStack,
  p: People,
  template: Template,
  projectId: string,
) {
  const version = await publish(api, p.pmo, template);
  const { client } = await connectTestTemporal();
  const input: ProjectInput = {
    projectId,
    name: 'Continued',
    template,
    version,
    participants: { pm: [p.pat.id], ops: [p.olga.id, p.omar.id] },
    startedBy: p.pmo.id,
    rev: INPUT_REVISION,
    // A new run after every second review: continue-as-new within seconds.
    options: { reviewsPerRun: 2 },
  };
  const handle = await client.workflow.start<typeof projectLifecycle>(PROJECT_WORKFLOW, {
    taskQueue: api.taskQueue,
    workflowId: projectWorkflowId(projectId),
    args: [input],
  });
  await eventually(
    'the project in the read model',
    () => api.call('GET', `/api/projects/${projectId}`, { token: p.pmo.token }),
    (r) => r.status === 200,
  );
  return handle;
}

/** Starts a project `name` of `template` (published first) with these seats; answers its id. */
export async function startWith(
  api: ApiStack,
  pmo: ApiUser,
  template: Template,
  participants: Record<string, string[]>,
  name = 'Trust',
): Promise<string> {
  await publish(api, pmo, template);
  return startProject(api, pmo, name, { template: template.key, participants });
}

/** Starts a project of `template` (published first) with pm: pat, ops: olga and omar. */
export function startOn(api: ApiStack, p: People, template: Template): Promise<string> {
  return startWith(api, p.pmo, template, { pm: [p.pat.id], ops: [p.olga.id, p.omar.id] });
}

/**
 * People, a frontline user `fran`, and a project "Tills" of `template` (which has a frontline
 * role) with pm: pat, ops: olga and omar, frontline: fran.
 */
export async function startWithFrontline(
  api: ApiStack,
  prefix: string,
  template: Template,
): Promise<{ p: People; fran: ApiUser; id: string }> {
  const p = await people(api, prefix);
  const fran = await createUser(api, `${prefix}-fran`);
  const seats = { pm: [p.pat.id], ops: [p.olga.id, p.omar.id], frontline: [fran.id] };
  return { p, fran, id: await startWith(api, p.pmo, template, seats, 'Tills') };
}

/** The project as `user` reads it (`GET /api/projects/:id`). */
export async function projectAs<T = ProjectView>(
  api: ApiStack,
  user: { token: string },
  id: string,
): Promise<T> {
  return bodyOf<T>(
    await api.call('GET', `/api/projects/${id}`, { token: user.token }),
    200,
    'project',
  );
}

/** `user`'s to-dos in project `id`, from the first 200 of their inbox. */
export async function todosIn(
  api: ApiStack,
  user: { token: string },
  id: string,
): Promise<PendingAction[]> {
  const page = bodyOf<{ items: PendingAction[] }>(
    await api.call('GET', '/api/inbox?limit=200', { token: user.token }),
    200,
    'inbox',
  );
  return page.items.filter((item) => item.projectId === id);
}

/** Waits until `user`'s feedback to-dos in project `id` are `items` ([item id, status] pairs). */
export async function expectFeedbackTodos(
  api: ApiStack,
  user: ApiUser,
  id: string,
  items: unknown[],
): Promise<void> {
  await eventually(
    `${user.id}'s feedback to-dos`,
    async () =>
      (await todosIn(api, user, id))
        .filter((a) => a.action === 'answer-feedback')
        .map((a) => [a.itemId, a.detail]),
    (got) => JSON.stringify(got) === JSON.stringify(items),
  );
}

/** `POST /api/projects/:id<path>` as `user`. */
export function act(api: ApiStack, user: ApiUser, id: string, path: string, body?: unknown) {
  return api.call('POST', `/api/projects/${id}${path}`, {
    token: user.token,
    ...(body !== undefined && { body }),
  });
}

/** The problem's field errors as `path.join('.'): code`, for compact assertions. */
export function fieldErrors(reply: Reply): string[] {
  return (reply.body.errors as { path: (string | number)[]; code: string }[]).map(
    (e) => `${e.path.join('.')}: ${e.code}`,
  );
}
