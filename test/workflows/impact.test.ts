/**
 * Impact analysis on a real server (issue 15): a portfolio of projects in different places,
 * each read from its workflow history (every run) and classified against four drafts.
 */
import { stateQuery } from '../../workflows/messages';
import { connectTestTemporal } from '../support/temporal';
import { readProjectHistory } from '../../server/impact/history';
import { analyseProjects } from '../../server/impact/analyse';
import { replayProject } from '../../workflows/lifecycle';
import type { ProjectImpact, Template } from '../../workflows/model';
import { raisedQuorum, renamed, withDeliverable, withoutNode } from '../fixtures/impact-drafts';
import { setupProjects, type Project, type Projects } from './harness';
import { PLACES, portfolioTemplate, projectAt, type Place } from './impact-portfolio';

let projects: Projects;
const portfolio = new Map<Place, Project>();

beforeAll(async () => {
  projects = await setupProjects();
  const started = await Promise.all(PLACES.map((place) => projectAt(projects, place)));
  PLACES.forEach((place, i) => portfolio.set(place, started[i]!));
}, 90_000);
afterAll(async () => projects.stop());

async function analyse(draft: Template): Promise<Record<Place, ProjectImpact>> {
  const { client } = await connectTestTemporal();
  const ids = PLACES.map((p) => portfolio.get(p)!.id);
  const impacts = await analyseProjects(client, ids, { template: draft, version: 2 });
  return Object.fromEntries(PLACES.map((p, i) => [p, impacts[i]!])) as Record<Place, ProjectImpact>;
}

const kinds = (impact: ProjectImpact) => [...new Set(impact.differences.map((d) => d.kind))].sort();

it('rebuilds every project where its workflow says it stands, across continue-as-new', async () => {
  const { client } = await connectTestTemporal();
  for (const place of PLACES) {
    const project = portfolio.get(place)!;
    const history = await readProjectHistory(client, project.id);
    expect(history.start.continued).toBeUndefined();
    const state = await project.handle.query(stateQuery);
    const rebuilt = replayProject(history, Date.now()).machine.state;
    expect([place, rebuilt.current, rebuilt.status]).toEqual([place, state.current, state.status]);
    expect([place, history.runs.length > 1]).toEqual([place, place === 'continued']);
  }
});

it('(a) a rename: every project migrates unchanged', async () => {
  const impacts = await analyse(renamed(portfolioTemplate));
  for (const place of PLACES) {
    expect([place, impacts[place].class, impacts[place].differences]).toEqual([
      place,
      'unchanged',
      [],
    ]);
  }
});

it('(b) a required deliverable on the passed approval gate', async () => {
  const impacts = await analyse(withDeliverable(portfolioTemplate, 'approval'));
  expect(impacts.plan.class).toBe('unchanged');
  // On hold at the gate: still there, now also lacking the new deliverable.
  expect(impacts['on-hold']).toMatchObject({ class: 'differs', wouldStand: ['approval'] });
  expect(kinds(impacts['on-hold'])).toEqual(['deliverable_missing']);
  for (const place of ['hypercare', 'monitor', 'continued'] as const) {
    const impact = impacts[place];
    expect([place, impact.class, impact.wouldStand]).toEqual([place, 'differs', ['approval']]);
    expect(kinds(impact)).toEqual(
      expect.arrayContaining(['node', 'signoff_void', 'deliverable_missing', 'deadline']),
    );
    expect(
      impact.differences.filter((d) => d.kind === 'signoff_void' && d.nodeId === 'approval'),
    ).toHaveLength(3);
  }
});

it('(c) the hypercare node removed: the project in it is blocked, the others can move', async () => {
  const impacts = await analyse(withoutNode(portfolioTemplate, 'hypercare'));
  expect(impacts.hypercare).toMatchObject({
    class: 'blocked',
    current: ['hypercare'],
    differences: [
      { kind: 'blocked', message: expect.stringContaining('"hypercare" does not exist') },
    ],
  });
  expect(impacts.plan.class).toBe('unchanged');
  expect(impacts['on-hold'].class).toBe('unchanged');
  // Past hypercare: its exit sign-off would not count (the gate leads straight to the PIR).
  for (const place of ['monitor', 'continued'] as const) {
    expect(impacts[place].class).toBe('differs');
    expect(impacts[place].differences).toContainEqual(
      expect.objectContaining({ kind: 'signoff_void', nodeId: 'hypercare' }),
    );
  }
});

it('(d) the ops quorum of approval raised to 3', async () => {
  const impacts = await analyse(raisedQuorum(portfolioTemplate, 'approval', 'ops', 3));
  expect(impacts.plan.class).toBe('unchanged');
  const wants = {
    kind: 'signoff_missing',
    nodeId: 'approval',
    message: 'approval would need 3 go sign-off(s) of ops, has 2',
  };
  for (const place of ['hypercare', 'monitor', 'continued'] as const) {
    expect([place, impacts[place].class, impacts[place].wouldStand]).toEqual([
      place,
      'differs',
      ['approval'],
    ]);
    expect(impacts[place].differences).toContainEqual(wants);
  }
  expect(impacts['on-hold']).toMatchObject({ class: 'differs', wouldStand: ['approval'] });
  expect(impacts['on-hold'].differences).toContainEqual(
    expect.objectContaining({
      kind: 'signoff_missing',
      message: expect.stringContaining('need 3'),
    }),
  );
});
