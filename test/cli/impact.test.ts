/**
 * `gatehouse template impact` as users run it: against the stack's database and Temporal, a
 * draft file and a published version, one line per project and the counts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { withDeliverable } from '../fixtures/impact-drafts';
import { miniTemplate } from '../fixtures/mini-template';
import { databaseFactory } from '../support/databases';
import { requireTestEnv, TEST_ENV } from '../support/env';
import { bodyOf, expectStatus } from '../server/drive-http';
import { startApiStack, type ApiStack } from '../server/stack';
import { runGatehouse } from './spawn';

const template = { ...miniTemplate, key: 'mini-cli-impact' };
const participants = { pm: ['pat'], ops: ['olga', 'omar'], steering: ['sam'] };
const criteria = { 'support-ready': true, training: 8, comms: 6 };

let api: ApiStack;
const ids: string[] = [];
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  api = await startApiStack(databaseFactory('sqlite'));
  const pmo = await api.user('paula', { pmo: true });
  const tokens: Record<string, string> = {};
  for (const id of ['pat', 'olga', 'omar', 'sam']) tokens[id] = (await api.user(id)).token;
  const path_ = `/api/templates/${template.key}`;
  expectStatus(
    await api.call('PUT', `${path_}/draft`, { token: pmo.token, body: template }),
    200,
    'draft',
  );
  expectStatus(await api.call('POST', `${path_}/publish`, { token: pmo.token }), 201, 'publish');
  for (let i = 0; i < 3; i++) {
    const started = await api.call('POST', '/api/projects', {
      token: pmo.token,
      body: { name: `cli ${i}`, template: template.key, participants },
    });
    ids.push(bodyOf<{ id: string }>(started, 201, 'start').id);
  }
  const act = async (user: string, p: string, body: unknown) =>
    expectStatus(
      await api.call('POST', `/api/projects/${ids[0]}${p}`, { token: tokens[user], body }),
      200,
      p,
    );
  await act('pat', '/nodes/plan/deliverables/runbook', { text: 'runbook' });
  await act('pat', '/nodes/plan/complete', {});
  await act('pat', '/nodes/approval/deliverables/charter', { text: 'charter' });
  for (const user of ['pat', 'olga', 'omar'])
    await act(user, '/nodes/approval/signoffs', { decision: 'go', criteria });
  env = {
    ...process.env,
    DATABASE_URL: api.databaseUrl,
    TEMPORAL_ADDRESS: requireTestEnv(TEST_ENV.address),
    TEMPORAL_NAMESPACE: requireTestEnv(TEST_ENV.namespace),
  };
}, 60_000);
afterAll(async () => api?.stop());

it('prints one line per project and the counts for a draft file', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'impact-'));
  const file = path.join(dir, 'draft.json');
  writeFileSync(file, JSON.stringify(withDeliverable(template, 'approval')));
  const run = await runGatehouse(env, 'template', 'impact', file);
  expect([run.code, run.stderr]).toEqual([0, '']);
  const lines = run.stdout.trim().split('\n');
  expect(lines).toHaveLength(4);
  expect(lines.at(-1)).toBe(
    `${template.key} draft (as v2) against 3 running project(s): 2 unchanged, 1 differ, 0 blocked`,
  );
  const advanced = lines.find((l) => l.startsWith(ids[0]!))!;
  expect(advanced).toMatch(
    / differs +v1 hypercare → approval .*would lack the required deliverable "risk-log"/,
  );
  ids
    .slice(1)
    .forEach((id, i) => expect(lines).toContain(`${id} "cli ${i + 1}"  unchanged  v1 plan`));
});

it('analyses a published version by key, and refuses an unknown one', async () => {
  const run = await runGatehouse(env, 'template', 'impact', template.key, '--version', '1');
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('against 3 running project(s): 0 unchanged, 0 differ, 3 blocked');
  expect(run.stdout).toContain('already runs version 1');
  const unknown = await runGatehouse(env, 'template', 'impact', template.key, '--version', '5');
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toContain('has no published version 5');
});
