/**
 * The portfolio's rows from the list alone, over HTTP on SQLite and PostgreSQL: each item of
 * `GET /api/projects` carries `progress` (where the project stands: its nodes named and since
 * when, hypercare, cost against budget), kept by the record write, so the list answers what
 * `GET /api/projects/:id` does without a Temporal call per row.
 */
import type { ProjectSummary, ProjectView } from '../../server/contract-responses';
import type { Template } from '../../workflows/model';
import { eachDatabase } from '../support/databases';
import { eventually, expectStatus } from './drive-http';
import { startApiStack, type ApiStack } from './stack';
import {
  act,
  people,
  pmOpsTemplate,
  PM_AND_OPS_SIGN,
  projectAs,
  startOn,
  type People,
} from './trust-support';

/** Go-live gate (pm + ops) → hypercare (ops accept) → end. */
function goLiveTemplate(): Template {
  return pmOpsTemplate('progress', {
    name: 'Go-live and hypercare',
    start: 'go-live',
    nodes: [
      {
        id: 'go-live',
        type: 'gate',
        name: 'Go-live',
        owner: 'pm',
        signoff: PM_AND_OPS_SIGN,
        decisions: ['go', 'kill'],
      },
      {
        id: 'care',
        type: 'hypercare',
        name: 'Hypercare after go-live',
        duration: 'P7D',
        exit: { rules: [{ role: 'ops', min: 1 }] },
        escalation: [{ after: 'PT0S', notify: ['pm'] }],
      },
      { id: 'done', type: 'end', name: 'Done', result: 'completed' },
      { id: 'killed', type: 'end', name: 'Killed', result: 'killed' },
    ],
    edges: [
      { from: 'go-live', to: 'care', on: 'go' },
      { from: 'go-live', to: 'killed', on: 'kill' },
      { from: 'care', to: 'done', on: 'done' },
    ],
  });
}

describe.each(eachDatabase())('$name', (factory) => {
  let api: ApiStack;
  let p: People;
  beforeAll(async () => {
    api = await startApiStack(factory);
    p = await people(api, 'progress');
  });
  afterAll(async () => api.stop());

  /** The project's item in the PMO's list, once `done` holds for it. */
  const listed = (id: string, what: string, done: (item: ProjectSummary) => boolean) =>
    eventually(
      what,
      async () => {
        const reply = await api.call('GET', '/api/projects?limit=200', { token: p.pmo.token });
        const items = expectStatus(reply, 200, 'list').body.items as ProjectSummary[];
        return items.find((item) => item.id === id);
      },
      (item) => item !== undefined && done(item),
    ) as Promise<ProjectSummary>;

  it("answers each project's progress in the list as its state has it", async () => {
    const id = await startOn(api, p, goLiveTemplate());
    const started = await projectAs<ProjectView>(api, p.pmo, id);
    const first = await listed(id, 'the started project', () => true);
    expect(first.progress).toEqual({
      current: [
        {
          id: 'go-live',
          name: 'Go-live',
          kind: 'gate',
          since: started.nodes['go-live']!.enteredAt,
        },
      ],
    });

    // Over budget: the measures and the cost recorded.
    const measures = { delivery: { budget: 1_000, currency: 'EUR' } };
    expectStatus(await act(api, p.pat, id, '/metrics', measures), 200, 'measures');
    expectStatus(await act(api, p.pat, id, '/cost', { spent: 1_250 }), 200, 'cost');
    // The gate passed: the project enters hypercare.
    for (const user of [p.pat, p.olga]) {
      const reply = await act(api, user, id, '/nodes/go-live/signoffs', { decision: 'go' });
      expectStatus(reply, 200, 'go-live go');
    }
    const item = await listed(
      id,
      'the project in hypercare',
      (i) => i.progress?.hypercare !== undefined,
    );
    const view = await projectAs<ProjectView>(api, p.pmo, id);
    expect(view.current).toEqual(['care']);
    const care = view.nodes['care']!;
    expect(item.progress).toEqual({
      current: [
        { id: 'care', name: 'Hypercare after go-live', kind: 'hypercare', since: care.enteredAt },
      ],
      hypercare: {
        nodeId: 'care',
        nodeName: 'Hypercare after go-live',
        phase: 'running',
        expiresAt: care.hypercare!.expiresAt,
      },
      cost: {
        cost: 'over',
        budget: 1_000,
        spent: 1_250,
        currency: 'EUR',
        variance: view.delivery!.variance,
        costFinal: false,
      },
    });
    expect(view.delivery).toMatchObject({ cost: 'over', variance: 0.25 });
    expect(care.enteredAt).toBeGreaterThan(started.nodes['go-live']!.enteredAt!);
  });
});
