/**
 * The built-in template's adoption rate is a percentage (0 … 100): over HTTP a reading of
 * 130 % is refused 422 `out_of_range` naming `body.value`; a reading on the bound is recorded. Installations keep
 * the template copy they seeded (version 1 of the built-in key is inserted once, never
 * updated): their projects take any value until the PMO publishes a version with the range.
 */
import { opsIntegratedDelivery } from '../../workflows/model';
import { databaseFactory } from '../support/databases';
import { bodyOf, createUser, expectStatus, startProject } from './drive-http';
import { startApiStack, type ApiStack } from './stack';
import { fieldErrors } from './trust-support';

let api: ApiStack;
beforeAll(async () => {
  api = await startApiStack(databaseFactory('sqlite'));
});
afterAll(async () => api?.stop());

it('refuses a 130 % adoption rate of the built-in template, naming the field', async () => {
  const pmo = await createUser(api, 'paula', { pmo: true });
  const seats = ['pm', 'ops-lead', 'ops-manager', 'support', 'steering'];
  const people = await Promise.all(seats.map((role) => createUser(api, `kpi-${role}`)));
  const participants = Object.fromEntries(seats.map((role, i) => [role, [people[i]!.id]]));
  const id = await startProject(api, pmo, 'Percentages', { participants });
  const ops = people[seats.indexOf('ops-manager')]!;
  const record = (value: number) =>
    api.call('POST', `/api/projects/${id}/kpis`, {
      token: ops.token,
      body: { metric: 'adoption-rate', value },
    });

  const high = await record(130);
  expect(high.status).toBe(422);
  expect(high.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(high.body.code).toBe('out_of_range');
  expect(fieldErrors(high)).toEqual(['body.value: out_of_range']);
  expect(high.body.errors[0].message).toBe(
    '130 for "Adoption rate" is outside what the template allows (0 … 100)',
  );
  expectStatus(await record(100), 201, 'record 100 %');
  const view = bodyOf<{ kpis: { metric: string; value: number }[] }>(
    await api.call('GET', `/api/projects/${id}`, { token: ops.token }),
    200,
    'project',
  );
  expect(view.kpis.map((k) => [k.metric, k.value])).toEqual([['adoption-rate', 100]]);
  expect(opsIntegratedDelivery.metrics!.find((m) => m.key === 'adoption-rate')).toMatchObject({
    min: 0,
    max: 100,
  });
});
