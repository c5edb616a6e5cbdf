/**
 * Durations the runtime cannot hold are refused before they reach a project. The model accepts
 * any duration that fits in a date counted from 1970, but a project adds it to today: a stage's
 * SLA of "P273780Y" then falls past the last date JavaScript holds and its deadline is NaN (the
 * workflow's timer loop spins on it until the worker process dies), and a hypercare's
 * `extendBy` of "P99999999999D" (a finite instant no date holds) makes every extension throw
 * "Invalid time value": the automatic one at expiry fails the workflow task for good, the manual
 * one answers 500. Criteria weights summing past the largest number make a `go`'s score NaN: the
 * pass score is not checked and the answer breaks the API's own schema. A condition of a `go`
 * due "P99999999999D" is taken with the vote, then every `go` that would pass the gate answers
 * 500. Publishing answers 422 naming each field, and so do starting a project of a version
 * published before and an action.
 */
import { seedTemplate } from '../../db';
import type { Template } from '../../workflows/model';
import { databaseFactory } from '../support/databases';
import { startProject } from './drive-http';
import { startApiStack, type ApiStack } from './stack';
import {
  act,
  fieldErrors,
  hypercareTemplate,
  people,
  pmOpsTemplate,
  PM_AND_OPS_SIGN,
  publish,
  startOn,
  type People,
} from './trust-support';

let api: ApiStack;
let p: People;
beforeAll(async () => {
  api = await startApiStack(databaseFactory('sqlite'));
  p = await people(api, 'dur');
});
afterAll(async () => api?.stop());

/** Saves `template` as a draft and tries to publish it: the answer. */
async function tryPublish(template: Template) {
  const path = `/api/templates/${template.key}`;
  await api.call('PUT', `${path}/draft`, { token: p.pmo.token, body: template });
  return api.call('POST', `${path}/publish`, { token: p.pmo.token });
}

const stageFirst = (due: string): Template =>
  pmOpsTemplate('dur-stage', {
    name: 'Stage first',
    start: 'work',
    nodes: [
      { id: 'work', type: 'stage', name: 'Work', owner: 'pm', deliverables: [], sla: { due } },
      { id: 'done', type: 'end', name: 'Done', result: 'completed' },
    ],
    edges: [{ from: 'work', to: 'done', on: 'done' }],
  });

const gateFirst = (criteria?: { weight: number }[]): Template =>
  pmOpsTemplate('dur-gate', {
    name: 'Gate first',
    start: 'gate',
    nodes: [
      {
        id: 'gate',
        type: 'gate',
        name: 'Gate',
        signoff: PM_AND_OPS_SIGN,
        decisions: ['go', 'kill'],
        ...(criteria && {
          criteria: criteria.map((c, i) => ({ id: `c${i}`, text: 'c', kind: 'should', ...c })),
          passScore: 0.9,
        }),
      },
      { id: 'done', type: 'end', name: 'Done', result: 'completed' },
      { id: 'killed', type: 'end', name: 'Killed', result: 'killed' },
    ],
    edges: [
      { from: 'gate', to: 'done', on: 'go' },
      { from: 'gate', to: 'killed', on: 'kill' },
    ],
  });

describe('publishing', () => {
  it('refuses a duration that overflows a date once added to today, naming the field', async () => {
    const reply = await tryPublish(stageFirst('P273780Y'));
    expect(reply.status).toBe(422);
    expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(fieldErrors(reply)).toEqual(['draft.nodes.0.sla.due: invalid_duration']);
    // The designer's check says so too.
    const checked = await api.call('POST', '/api/templates/validate', {
      token: p.pmo.token,
      body: stageFirst('P273780Y'),
    });
    expect(checked.body.valid).toBe(false);
  });

  it('refuses an extension no date holds and hypercare that outlasts the bound', async () => {
    const huge = hypercareTemplate();
    Object.assign(huge.nodes[0]!, { extendBy: 'P99999999999D' });
    expect(fieldErrors(await tryPublish(huge))).toEqual([
      'draft.nodes.0.extendBy: invalid_duration',
    ]);
    const stacked = hypercareTemplate();
    Object.assign(stacked.nodes[0]!, { extendBy: 'P100Y', maxExtensions: 20 });
    expect(fieldErrors(await tryPublish(stacked))).toEqual([
      'draft.nodes.0.maxExtensions: too_big',
    ]);
  });

  it('refuses criteria weights whose sum is no number', async () => {
    const reply = await tryPublish(gateFirst([{ weight: 1e308 }, { weight: 1e308 }]));
    expect(fieldErrors(reply)).toEqual(['draft.nodes.0.criteria.1.weight: too_big']);
  });

  it('still publishes long but holdable durations', async () => {
    await publish(api, p.pmo, stageFirst('P1000Y'));
    await publish(api, p.pmo, stageFirst('P99999D'));
  });
});

describe('starting', () => {
  it('refuses a version published before the bounds, naming its field', async () => {
    const old = stageFirst('P273780Y');
    expect(await seedTemplate(api.db, old)).toBe(true);
    const reply = await api.call('POST', '/api/projects', {
      token: p.pmo.token,
      body: { name: 'Old', template: old.key, participants: { pm: [p.pat.id], ops: [p.olga.id] } },
    });
    expect(reply.status).toBe(422);
    expect(reply.body.code).toBe('invalid_template');
    expect(fieldErrors(reply)).toEqual(['body.template.nodes.0.sla.due: invalid_duration']);
    const fine = stageFirst('P1000Y');
    await seedTemplate(api.db, fine);
    await startProject(api, p.pmo, 'Fine', {
      template: fine.key,
      participants: { pm: [p.pat.id], ops: [p.olga.id] },
    });
  });
});

describe('actions', () => {
  it('refuses to migrate a project to a version published before the bounds', async () => {
    const ok = stageFirst('P1D');
    await publish(api, p.pmo, ok);
    const id = await startProject(api, p.pmo, 'Migrating', {
      template: ok.key,
      participants: { pm: [p.pat.id], ops: [p.olga.id] },
    });
    const old = { ...stageFirst('P273780Y'), key: ok.key };
    await api.db
      .insertInto('template_versions')
      .values({
        key: ok.key,
        version: 2,
        body: JSON.stringify(old),
        published_at: 0,
        published_by: p.pmo.id,
      })
      .execute();
    const reply = await act(api, p.pmo, id, '/migrate', { version: 2 });
    expect([reply.status, reply.body.code]).toEqual([422, 'invalid_template']);
    expect(fieldErrors(reply)).toEqual(['body.version.nodes.0.sla.due: invalid_duration']);
    // Nor in bulk: the project's worker would spin on a deadline no date holds.
    const bulk = await api.call('POST', `/api/templates/${ok.key}/migrations`, {
      token: p.pmo.token,
      body: { version: 2, projectIds: [id] },
    });
    expect([bulk.status, bulk.body.code]).toEqual([422, 'invalid_template']);
    expect(fieldErrors(bulk)).toEqual(['body.version.nodes.0.sla.due: invalid_duration']);
  });

  it("refuses a go's condition due past what a date holds, before the vote counts", async () => {
    const id = await startOn(api, p, gateFirst());
    const go = (due: string) =>
      act(api, p.pat, id, '/nodes/gate/signoffs', {
        decision: 'go',
        conditions: [{ text: 'Runbook reviewed', due, owner: 'ops' }],
      });
    const refused = await go('P99999999999D');
    expect(refused.status).toBe(422);
    expect(fieldErrors(refused)).toEqual(['body.conditions.0.due: invalid_duration']);
    expect((await go('P30D')).status).toBe(200);
    const passed = await act(api, p.olga, id, '/nodes/gate/signoffs', { decision: 'go' });
    expect(passed.status).toBe(200);
    expect(passed.body.status).toBe('completed');
  });
});
