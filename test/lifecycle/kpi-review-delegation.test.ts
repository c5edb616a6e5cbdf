/**
 * A KPI review done by a stand-in (patch "kpi-review-delegation"), pure: when the only reviewer
 * is out of office, their delegate (not a participant) does the open review for them, in their
 * role; the record and the audit trail say who acted for whom. A stand-in for someone who is no
 * reviewer is refused naming `onBehalfOf`; an Update applied before the patch (the field
 * stripped then) is decided as the sender's own review.
 */
import { decide, DELEGABLE_ACTIONS } from '../../workflows/lifecycle';
import { Simulator } from '../../workflows/lifecycle/simulation';
import type { Template } from '../../workflows/model';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { unitProject } from '../fixtures/unit-project';

/** Monitoring from the start, reviews every 10 s due 4 s after; Omar is the only reviewer. */
const template: Template = {
  ...miniTemplate,
  start: 'monitor',
  nodes: miniTemplate.nodes.map((n) => (n.type === 'monitor' ? { ...n, reviewWithin: 'PT4S' } : n)),
};
const participants = { ...miniParticipants, ops: ['omar'] };

function reviewOpen(): Simulator {
  const sim = new Simulator(template, { participants, ...unitProject });
  sim.advance(10_000);
  expect(sim.state.nodes.monitor!.monitor!.open).toBeDefined();
  return sim;
}

const review = (onBehalfOf?: string) =>
  ({
    type: 'kpiReview',
    nodeId: 'monitor',
    values: { adoption: 85 },
    decision: 'keep',
    ...(onBehalfOf !== undefined && { onBehalfOf }),
  }) as const;

it('lets the stand-in do the reviewer’s review, saying who acted for whom', () => {
  const sim = reviewOpen();
  expect(DELEGABLE_ACTIONS).toContain('kpi-review');
  sim.must('dana', review('omar'));
  const mon = sim.state.nodes.monitor!.monitor!;
  expect(mon.open).toBeUndefined();
  expect(mon.done!.at(-1)).toMatchObject({ status: 'done', by: 'dana', onBehalfOf: 'omar' });
  const audit = sim.audits.find((a) => a.action === 'monitor.reviewed')!;
  expect(audit).toMatchObject({ actor: 'dana', detail: { onBehalfOf: 'omar' } });
});

it('refuses a stand-in for someone who is no reviewer, naming onBehalfOf', () => {
  const sim = reviewOpen();
  expect(sim.act('dana', review('pat'))).toMatchObject({
    ok: false,
    rejection: { code: 'not_allowed', path: ['onBehalfOf'] },
  });
  // Without onBehalfOf a non-participant is refused as before.
  expect(sim.act('dana', review())).toMatchObject({
    ok: false,
    rejection: { code: 'not_participant' },
  });
});

it('decides an Update applied before the patch as the sender’s own review', () => {
  const sim = reviewOpen();
  const command = { ...review('pat'), actor: { userId: 'omar' } };
  const old = decide(sim.machine, command, sim.now, { kpiReviewDelegation: false });
  expect(old.ok && old.machine.state.nodes.monitor!.monitor!.done!.at(-1)).toMatchObject({
    by: 'omar',
  });
  expect(old.ok && old.machine.state.nodes.monitor!.monitor!.done!.at(-1)).not.toHaveProperty(
    'onBehalfOf',
  );
});
