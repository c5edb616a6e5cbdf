/**
 * KPI reviews that are done (issue 13 item 4): with `reviewWithin`, each period's end opens a
 * review of the monitor's reviewers; doing it records values, on/off target per metric, a
 * decision and follow-up actions; the inbox item clears when done, escalates when overdue; a
 * metric left unrecorded for a period counts as a miss. Without it, reviews stay notifications.
 */
import { pendingActions } from '../../workflows/lifecycle';
import { Simulator } from '../../workflows/lifecycle/simulation';
import type { CommandOf, Template } from '../../workflows/model';

type ReviewBody = Omit<CommandOf<'kpiReview'>, 'type' | 'nodeId' | 'actor'>;
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { unitProject } from '../fixtures/unit-project';

const S = 1000;

/** The mini lifecycle started in its monitor: reviews every 10 s, each due 4 s after. */
const reviewed: Template = {
  ...miniTemplate,
  start: 'monitor',
  nodes: miniTemplate.nodes.map((n) => (n.type === 'monitor' ? { ...n, reviewWithin: 'PT4S' } : n)),
};

function monitoring(template: Template = reviewed): Simulator {
  return new Simulator(template, { participants: miniParticipants, ...unitProject });
}

const inbox = (sim: Simulator, user: string) =>
  pendingActions(sim.state, sim.machine.template, user).filter((p) => p.action === 'kpi-review');

describe('KPI reviews done by the reviewers', () => {
  it('opens a review at the period’s end, in the reviewers’ inbox until one does it', () => {
    const sim = monitoring();
    expect(inbox(sim, 'olga')).toEqual([]);
    expect(
      sim.act('olga', { type: 'kpiReview', nodeId: 'monitor', decision: 'keep' }),
    ).toMatchObject({ ok: false, rejection: { code: 'no_review_open' } });
    sim.advance(10 * S);
    const [review] = sim.notified('kpi-review');
    expect(review!.recipients.sort()).toEqual(['olga', 'omar']);
    expect(inbox(sim, 'olga')).toEqual([
      expect.objectContaining({ nodeId: 'monitor', itemId: '1', dueAt: sim.now + 4 * S }),
    ]);
    expect(inbox(sim, 'pat')).toEqual([]);

    const done = sim.must('omar', {
      type: 'kpiReview',
      nodeId: 'monitor',
      values: { adoption: 85, tickets: 30 },
      decision: 'act',
      comment: 'tickets still high',
      actions: [{ text: 'Add a FAQ for the top 5 tickets', due: 'PT20S', owner: 'pm' }],
    });
    expect(done).toMatchObject({ nodeId: 'monitor', id: '1' });
    expect(inbox(sim, 'olga')).toEqual([]);
    expect(inbox(sim, 'omar')).toEqual([]);
    const mon = sim.state.nodes.monitor!.monitor!;
    expect(mon.open).toBeUndefined();
    expect(mon.done).toEqual([
      expect.objectContaining({
        number: 1,
        status: 'done',
        by: 'omar',
        decision: 'act',
        results: [
          { metric: 'adoption', value: 85, target: 80, met: true },
          { metric: 'tickets', value: 30, target: 20, met: false },
        ],
        actions: ['monitor-review-1-1'],
      }),
    ]);
    expect(mon.misses).toEqual({ adoption: 0, tickets: 1 });
    expect(sim.state.kpis.map((k) => [k.metric, k.value, k.by])).toEqual([
      ['adoption', 85, 'omar'],
      ['tickets', 30, 'omar'],
    ]);
    expect(sim.audits.filter((a) => a.action === 'monitor.reviewed')).toHaveLength(1);

    // The follow-up is the pm's to do, and escalates when not done by its due date.
    const followUp = pendingActions(sim.state, sim.machine.template, 'pat');
    expect(followUp).toEqual([
      expect.objectContaining({ action: 'meet-condition', itemId: 'monitor-review-1-1' }),
    ]);
    expect(
      sim.act('omar', { type: 'kpiReview', nodeId: 'monitor', decision: 'keep' }),
    ).toMatchObject({ ok: false, rejection: { code: 'no_review_open' } });
    sim.advance(20 * S);
    expect(sim.state.conditions[0]).toMatchObject({ status: 'missed', escalated: true });
    expect(sim.notified('condition-missed').at(-1)!.recipients).toEqual(
      expect.arrayContaining(['pat', 'pmo-1']),
    );
  });

  it('escalates a review not done by its due date, and counts unrecorded metrics as misses', () => {
    const sim = monitoring();
    sim.advance(10 * S);
    sim.advance(4 * S);
    const [overdue] = sim.notified('escalation');
    expect(overdue!.subject).toContain('KPI review #1 is overdue');
    expect(overdue!.recipients.sort()).toEqual(['olga', 'omar', 'pmo-1', 'sam']);
    expect(inbox(sim, 'olga')).toHaveLength(1);
    // The next period ends with the review still undone: it closes as missed, nothing recorded.
    sim.advance(6 * S);
    const mon = sim.state.nodes.monitor!.monitor!;
    expect(mon.done).toEqual([
      expect.objectContaining({
        number: 1,
        status: 'missed',
        results: [
          { metric: 'adoption', target: 80, met: false },
          { metric: 'tickets', target: 20, met: false },
        ],
      }),
    ]);
    expect(mon.open).toMatchObject({ number: 2 });
    expect(mon.misses).toEqual({ adoption: 1, tickets: 1 });
    // Second period unrecorded too: two misses in a row alert.
    sim.advance(10 * S);
    const [alert] = sim.notified('kpi-alert');
    expect(alert!.text).toContain('Adoption rate (no value recorded, 2 reviews in a row)');
    expect(alert!.recipients).toEqual(expect.arrayContaining(['sam', 'pmo-1']));
  });

  it('a reading recorded during the period counts; an escalate decision tells escalate and the PMO', () => {
    const sim = monitoring();
    sim.advance(5 * S);
    sim.must('olga', { type: 'recordKpi', metric: 'adoption', value: 90 });
    sim.must('olga', { type: 'recordKpi', metric: 'tickets', value: 10 });
    sim.advance(5 * S);
    sim.must('olga', {
      type: 'kpiReview',
      nodeId: 'monitor',
      decision: 'escalate',
      comment: 'on target but the vendor contract ends',
    });
    const mon = sim.state.nodes.monitor!.monitor!;
    expect(mon.done![0]!.results.every((r) => r.met)).toBe(true);
    const [escalated] = sim.notified('escalation');
    expect(escalated!.subject).toContain('KPI review #1 escalated');
    expect(escalated!.recipients.sort()).toEqual(['pmo-1', 'sam']);
    // Values from an earlier period do not count for the next one.
    sim.advance(10 * S);
    sim.must('olga', { type: 'kpiReview', nodeId: 'monitor', decision: 'keep' });
    expect(sim.state.nodes.monitor!.monitor!.done![1]!.results).toEqual([
      { metric: 'adoption', target: 80, met: false },
      { metric: 'tickets', target: 20, met: false },
    ]);
  });

  it.each<[string, string, ReviewBody, string, (string | number)[] | undefined]>([
    ['a non-reviewer', 'pat', { decision: 'keep' }, 'not_allowed', undefined],
    ['an outsider', 'stranger', { decision: 'keep' }, 'not_participant', undefined],
    ['act without actions', 'olga', { decision: 'act' }, 'actions_required', ['actions']],
    [
      'an unknown metric',
      'olga',
      { decision: 'keep', values: { nps: 1 } },
      'unknown_metric',
      ['values', 'nps'],
    ],
    [
      'an unknown owner',
      'olga',
      { decision: 'act', actions: [{ text: 'x', due: 'P1D', owner: 'ghost' }] },
      'unknown_role',
      ['actions', 0, 'owner'],
    ],
  ])('refuses %s and changes nothing', (_what, user, body, code, path) => {
    const sim = monitoring();
    sim.advance(10 * S);
    const before = JSON.stringify(sim.machine);
    expect(sim.act(user, { type: 'kpiReview', nodeId: 'monitor', ...body })).toMatchObject({
      ok: false,
      rejection: { code, ...(path && { path }) },
    });
    expect(JSON.stringify(sim.machine)).toBe(before);
  });

  it('retiring the monitor drops an open review with it', () => {
    const sim = monitoring();
    sim.advance(10 * S);
    sim.must('olga', { type: 'retire', reason: 'steady' });
    expect(sim.state.deadlines).toEqual([]);
    expect(inbox(sim, 'olga')).toEqual([]);
  });

  it('without reviewWithin a review stays a notification, as before', () => {
    const sim = monitoring({ ...miniTemplate, start: 'monitor' });
    sim.advance(10 * S);
    expect(sim.notified('kpi-review')).toHaveLength(1);
    expect(sim.state.nodes.monitor!.monitor!.open).toBeUndefined();
    expect(
      sim.act('olga', { type: 'kpiReview', nodeId: 'monitor', decision: 'keep' }),
    ).toMatchObject({ ok: false, rejection: { code: 'no_review_open' } });
  });
});
