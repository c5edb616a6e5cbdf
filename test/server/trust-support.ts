/**
 * What the trust tests (issue 8) share: small templates that start where the test needs to be
 * (hypercare, a PIR, a monitor), published and started over HTTP by a PMO, and people.
 */
import type { Template } from '../../workflows/model';
import { createUser, expectStatus, type ApiUser } from './drive-http';
import type { ApiStack, Reply } from './stack';

let templates = 0;

/** Hypercare first: exit by an ops user, escalating to ops and the PM; then a PIR, then end. */
export function hypercareTemplate(
  options: { seconds?: number; blockingSeverity?: number; maxExtensions?: number } = {},
): Template {
  return {
    schema: 'gatehouse/template@1',
    key: `trust-hc-${++templates}`,
    name: 'Hypercare first',
    roles: [
      { key: 'pm', name: 'Project manager' },
      { key: 'ops', name: 'Operations', operations: true },
    ],
    start: 'hypercare',
    nodes: [
      {
        id: 'hypercare',
        type: 'hypercare',
        name: 'Hypercare',
        duration: `PT${options.seconds ?? 600}S`,
        extendBy: 'PT600S',
        maxExtensions: options.maxExtensions ?? 1,
        exit: { rules: [{ role: 'ops', min: 1 }] },
        escalation: [{ after: 'PT0S', notify: ['ops', 'pm'] }],
        ...(options.blockingSeverity !== undefined && {
          blockingSeverity: options.blockingSeverity,
        }),
      },
      {
        id: 'pir',
        type: 'review',
        name: 'Post-implementation review',
        signoff: {
          rules: [
            { role: 'pm', min: 1 },
            { role: 'ops', min: 1 },
          ],
        },
      },
      { id: 'done', type: 'end', name: 'Done', result: 'completed' },
    ],
    edges: [
      { from: 'hypercare', to: 'pir', on: 'done' },
      { from: 'pir', to: 'done', on: 'done' },
    ],
  };
}

/** A monitor from the start: reviews every `seconds`, retired by an ops reviewer. */
export function monitorTemplate(seconds = 1): Template {
  return {
    schema: 'gatehouse/template@1',
    key: `trust-mon-${++templates}`,
    name: 'Monitor first',
    roles: [
      { key: 'pm', name: 'Project manager' },
      { key: 'ops', name: 'Operations', operations: true },
    ],
    metrics: [{ key: 'adoption', name: 'Adoption', unit: '%', target: 80, direction: 'increase' }],
    start: 'monitor',
    nodes: [
      {
        id: 'monitor',
        type: 'monitor',
        name: 'KPI reviews',
        every: `PT${seconds}S`,
        reviewers: ['ops'],
      },
      { id: 'done', type: 'end', name: 'Done', result: 'completed' },
    ],
    edges: [{ from: 'monitor', to: 'done', on: 'done' }],
  };
}

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
export async function publish(api: ApiStack, pmo: ApiUser, template: Template): Promise<number> {
  const path = `/api/templates/${template.key}`;
  expectStatus(
    await api.call('PUT', `${path}/draft`, { token: pmo.token, body: template }),
    200,
    'save draft',
  );
  const published = await api.call('POST', `${path}/publish`, { token: pmo.token });
  return expectStatus(published, 201, 'publish').body.version as number;
}

/** Starts a project of `template` (published first) with pm: pat, ops: olga and omar. */
export async function startOn(api: ApiStack, p: People, template: Template): Promise<string> {
  await publish(api, p.pmo, template);
  const reply = await api.call('POST', '/api/projects', {
    token: p.pmo.token,
    body: {
      name: 'Trust',
      template: template.key,
      participants: { pm: [p.pat.id], ops: [p.olga.id, p.omar.id] },
    },
  });
  return expectStatus(reply, 201, 'start project').body.id as string;
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
