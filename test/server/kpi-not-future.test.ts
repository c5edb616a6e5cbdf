/**
 * A KPI reading dated in the future (found walking the app as operations: `at: 2030-…` was
 * accepted and counted as the latest value) is refused over HTTP, 422 `in_the_future` naming
 * `body.at`, and nothing is recorded; a reading a minute ahead (clock skew) or in the past is
 * recorded (patch "kpi-not-future").
 */
import { databaseFactory } from '../support/databases';
import { bodyOf, createUser, expectStatus, startProject } from './drive-http';
import { startApiStack, type ApiStack } from './stack';
import { fieldErrors } from './trust-support';

let api: ApiStack;
beforeAll(async () => {
  api = await startApiStack(databaseFactory('sqlite'));
});
afterAll(async () => api?.stop());

it('refuses a reading dated after now, naming body.at, and records the others', async () => {
  const pmo = await createUser(api, 'paula', { pmo: true });
  const seats = ['pm', 'ops-lead', 'ops-manager', 'support', 'steering'];
  const people = await Promise.all(seats.map((role) => createUser(api, `future-${role}`)));
  const participants = Object.fromEntries(seats.map((role, i) => [role, [people[i]!.id]]));
  const id = await startProject(api, pmo, 'Readings', { participants });
  const ops = people[seats.indexOf('ops-manager')]!;
  const record = (value: number, at: string) =>
    api.call('POST', `/api/projects/${id}/kpis`, {
      token: ops.token,
      body: { metric: 'adoption-rate', value, at },
    });

  const future = await record(90, '2030-01-01T00:00:00Z');
  expect(future.status).toBe(422);
  expect(future.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(future.body.code).toBe('in_the_future');
  expect(fieldErrors(future)).toEqual(['body.at: in_the_future']);
  expect(future.body.errors[0].message).toMatch(/cannot be dated after now/);

  expectStatus(await record(40, new Date(Date.now() + 60_000).toISOString()), 201, 'skew');
  expectStatus(await record(30, '2026-01-01T00:00:00Z'), 201, 'past');
  const view = bodyOf<{ kpis: { metric: string; value: number }[] }>(
    await api.call('GET', `/api/projects/${id}`, { token: ops.token }),
    200,
    'project',
  );
  expect(view.kpis.map((k) => k.value)).toEqual([40, 30]);
});
