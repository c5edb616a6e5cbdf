/**
 * What the trust tests (issue 8) share: small templates that start where the test needs to be
 * (hypercare, a PIR, a monitor), published and started over HTTP by a PMO, and people.
 */
import type { Template } from '../../workflows/model';
import { createUser, expectStatus, type ApiUser } from './drive-http';

export { hypercareTemplate, monitorTemplate } from '../fixtures/trust-templates';
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
