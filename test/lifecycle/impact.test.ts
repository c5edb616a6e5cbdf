/**
 * Impact analysis over recorded inputs (pure): a project that passed the approval gate into
 * hypercare, analysed against the four drafts of issue 15 and the migration rule.
 */
import {
  analyseProject,
  summarise,
  type HistoryInput,
  type ProjectHistory,
} from '../../workflows/lifecycle';
import { INPUT_REVISION, type ActionName, type Template } from '../../workflows/model';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { unitProject } from '../fixtures/unit-project';
import { raisedQuorum, renamed, withDeliverable, withoutNode } from '../fixtures/impact-drafts';

const T0 = Date.UTC(2026, 0, 5, 9);
const S = 1000;
const criteria = { 'support-ready': true, training: 8, comms: 5 };

function update(at: number, name: ActionName, userId: string, fields: object): HistoryInput {
  return {
    kind: 'update',
    at: T0 + at,
    name,
    args: { actor: { userId }, rev: INPUT_REVISION, ...fields } as never,
  };
}

/** The mini project: plan done, charter in, approval signed by pat, olga and omar → hypercare. */
function inHypercare(participants = miniParticipants): ProjectHistory {
  return {
    projectId: 'p1',
    start: {
      ...unitProject,
      template: miniTemplate,
      version: 1,
      participants,
      rev: INPUT_REVISION,
    },
    startedAt: T0,
    runs: [{ options: {} }],
    inputs: [
      update(1 * S, 'submitDeliverable', 'pat', {
        nodeId: 'plan',
        deliverableId: 'runbook',
        text: 'v1',
      }),
      update(2 * S, 'completeStage', 'pat', { nodeId: 'plan' }),
      update(3 * S, 'submitDeliverable', 'olga', {
        nodeId: 'approval',
        deliverableId: 'charter',
        text: 'c',
      }),
      ...['pat', 'olga', 'omar'].map((user, i) =>
        update((4 + i) * S, 'signoff', user, { nodeId: 'approval', decision: 'go', criteria }),
      ),
    ],
  };
}

const NOW = T0 + 8 * S;
const as = (template: Template, version = 2) => ({ template, version });

it('replays where the project stands today', () => {
  const impact = analyseProject(inHypercare(), as(renamed(miniTemplate)), NOW);
  expect(impact).toMatchObject({ name: 'Project One', current: ['hypercare'], version: 1 });
});

it('(a) a rename migrates unchanged', () => {
  const impact = analyseProject(inHypercare(), as(renamed(miniTemplate)), NOW);
  expect(impact).toMatchObject({ class: 'unchanged', wouldStand: ['hypercare'], differences: [] });
});

it('(b) a required deliverable added to a passed gate: it would stand at the gate, its go void', () => {
  const impact = analyseProject(inHypercare(), as(withDeliverable(miniTemplate, 'approval')), NOW);
  expect(impact.class).toBe('differs');
  expect(impact.wouldStand).toEqual(['approval']);
  const kinds = impact.differences.map((d) => d.kind);
  expect(kinds).toEqual(expect.arrayContaining(['node', 'signoff_void', 'deliverable_missing']));
  expect(impact.differences.filter((d) => d.kind === 'signoff_void')).toHaveLength(3);
  expect(impact.differences).toContainEqual(
    expect.objectContaining({
      kind: 'deliverable_missing',
      nodeId: 'approval',
      message: expect.stringContaining('risk-log'),
    }),
  );
  // Hypercare's expiry would not be set; the gate has no SLA: only that deadline differs.
  expect(impact.differences.filter((d) => d.kind === 'deadline')).toEqual([
    expect.objectContaining({
      nodeId: 'hypercare',
      message: expect.stringContaining('would not be set'),
    }),
  ]);
});

it('(c) removing the node it stands in blocks it, by the migration rule', () => {
  const impact = analyseProject(inHypercare(), as(withoutNode(miniTemplate, 'hypercare')), NOW);
  expect(impact).toMatchObject({
    class: 'blocked',
    differences: [
      { kind: 'blocked', message: expect.stringContaining('"hypercare" does not exist') },
    ],
  });
});

it('(d) a raised quorum the participants can staff: the passed gate would still want a signer', () => {
  const participants = { ...miniParticipants, ops: ['olga', 'omar', 'oona'] };
  const impact = analyseProject(
    inHypercare(participants),
    as(raisedQuorum(miniTemplate, 'approval', 'ops', 3)),
    NOW,
  );
  expect(impact.class).toBe('differs');
  expect(impact.wouldStand).toEqual(['approval']);
  expect(impact.differences).toContainEqual({
    kind: 'signoff_missing',
    nodeId: 'approval',
    message: 'approval would need 3 go sign-off(s) of ops, has 2',
  });
});

it('(d) a raised quorum the participants cannot staff blocks it, naming the shortfall', () => {
  const impact = analyseProject(
    inHypercare(),
    as(raisedQuorum(miniTemplate, 'approval', 'ops', 3)),
    NOW,
  );
  expect(impact.class).toBe('blocked');
  expect(impact.differences).toEqual([
    expect.objectContaining({
      kind: 'participants',
      message: expect.stringContaining('role "ops" has 2'),
    }),
  ]);
});

it('refuses what migration refuses: the version it already runs', () => {
  const impact = analyseProject(inHypercare(), as(miniTemplate, 1), NOW);
  expect(impact).toMatchObject({ class: 'blocked' });
  expect(impact.differences[0]!.message).toContain('already runs version 1');
});

it('fires deadlines at their own times: a shorter hypercare moves the expiry', () => {
  const shorter: Template = {
    ...miniTemplate,
    nodes: miniTemplate.nodes.map((n) => (n.type === 'hypercare' ? { ...n, duration: 'PT5S' } : n)),
  };
  const impact = analyseProject(inHypercare(), as(shorter), NOW);
  expect(impact.class).toBe('differs');
  expect(impact.differences).toContainEqual(
    expect.objectContaining({
      kind: 'deadline',
      nodeId: 'hypercare',
      message: expect.stringContaining('would move'),
    }),
  );
});

it('counts every class', () => {
  expect(summarise([{ class: 'blocked' }, { class: 'blocked' }, { class: 'unchanged' }])).toEqual({
    unchanged: 1,
    differs: 0,
    blocked: 2,
  });
});
