import {
  allowedDecisions,
  opsIntegratedDelivery,
  weightedScore,
  type NodeOf,
  type SignableNode,
} from '../../workflows/model';
import {
  initialDraft,
  scoreText,
  signoffBody,
  signoffHints,
} from '../../designer/src/workspace/logic/signoff';
import { participantsBody, roleNeeds } from '../../designer/src/workspace/logic/participants';
import { errorsByKey, errorsOutside, pathLabel } from '../../designer/src/workspace/logic/problems';
import {
  kpiSeries,
  metricDomain,
  pirBars,
  progressToTarget,
  verdictOf,
} from '../../designer/src/workspace/logic/kpi';
import {
  durationInWords,
  formatCountdown,
  formatDue,
  formatSpan,
} from '../../designer/src/workspace/logic/time';

const template = opsIntegratedDelivery;
const signable = (id: string) => template.nodes.find((n) => n.id === id) as SignableNode;
const inception = signable('inception') as NodeOf<'gate'>;

describe('sign-off form', () => {
  it('offers the gate decisions, go only on reviews and hypercare exits', () => {
    expect(allowedDecisions(inception)).toEqual(
      inception.decisions ?? ['go', 'recycle', 'hold', 'kill'],
    );
    expect(allowedDecisions(signable('pir'))).toEqual(['go']);
    expect(allowedDecisions(signable('hypercare'))).toEqual(['go']);
  });

  it('starts with every must unmet and the role chosen when there is one', () => {
    const draft = initialDraft(inception, ['pm']);
    expect(draft).toMatchObject({ decision: 'go', role: 'pm', conditions: [] });
    expect(draft.criteria).toEqual({ 'ops-co-ownership': false, 'metrics-agreed': false });
    expect(initialDraft(inception, ['pm', 'ops-lead']).role).toBe('');
  });

  it('scores should criteria by weight, like the workflow', () => {
    const criteria = [
      { id: 'a', text: 'A', kind: 'should' as const, weight: 3 },
      { id: 'b', text: 'B', kind: 'should' as const },
      { id: 'c', text: 'C', kind: 'must' as const },
    ];
    expect(weightedScore(criteria, { a: 10, b: 2, c: true })).toBe(0.8);
    expect(weightedScore(criteria, { c: true })).toBeUndefined();
  });

  it('never shows a score below the pass score as equal to it', () => {
    // Three criteria weighted alike, pass score 0.67: 7, 7, 6 score 20/30, kept as 0.667.
    const thirds = {
      ...signable('pilot-review'),
      criteria: ['a', 'b', 'c'].map((id) => ({ id, text: id, kind: 'should' as const })),
      passScore: 0.67,
    } as SignableNode;
    const draft = { ...initialDraft(thirds, ['steering']), criteria: { a: 7, b: 7, c: 6 } };
    expect(signoffHints(thirds, draft)).toEqual([
      expect.objectContaining({
        field: 'score',
        message: 'weighted score 0.667 is below the pass score 0.67',
      }),
    ]);
    expect(scoreText(0.667)).toBe('0.667');
    expect(scoreText(0.699)).toBe('0.699');
    expect(scoreText(0.7)).toBe('0.70');
    expect(scoreText(0.29)).toBe('0.29');
    expect(scoreText(1)).toBe('1.00');
  });

  it('warns of what a go would be refused for and blocks malformed conditions', () => {
    const draft = initialDraft(inception, ['pm']);
    draft.criteria['frontline-voice'] = 1;
    draft.conditions.push({ text: ' ', due: '14 days', owner: '' });
    const hints = signoffHints(inception, draft);
    expect(hints.filter((h) => !h.blocking).map((h) => h.field)).toEqual(
      expect.arrayContaining(['ops-co-ownership', 'metrics-agreed', 'business-case']),
    );
    expect(hints.filter((h) => h.blocking).map((h) => h.field)).toEqual([
      'conditions.0.text',
      'conditions.0.due',
      'conditions.0.owner',
    ]);
    draft.conditions = [{ text: 'Train night shift', due: 'P14D', owner: 'ops-lead' }];
    draft.criteria = {
      'ops-co-ownership': true,
      'metrics-agreed': true,
      'frontline-voice': 8,
      'business-case': 7,
    };
    expect(signoffHints(inception, draft)).toEqual([]);
  });

  it('builds the body: conditions only with go, unknown criteria dropped, empty fields left out', () => {
    const draft = {
      decision: 'go' as const,
      role: '',
      comment: '  fine ',
      criteria: { 'ops-co-ownership': true, stray: 3 },
      conditions: [{ text: ' Train ', due: 'P14D ', owner: 'ops-lead' }],
    };
    expect(signoffBody(inception, draft, 'k1')).toEqual({
      decision: 'go',
      comment: 'fine',
      criteria: { 'ops-co-ownership': true },
      conditions: [{ text: 'Train', due: 'P14D', owner: 'ops-lead' }],
      idempotencyKey: 'k1',
    });
    expect(signoffBody(inception, { ...draft, decision: 'kill', comment: '' })).toEqual({
      decision: 'kill',
      criteria: { 'ops-co-ownership': true },
    });
  });
});

describe('start-project participants', () => {
  it('knows how many users each role needs and where it signs', () => {
    const needs = roleNeeds(template);
    expect(needs.find((r) => r.key === 'ops-manager')).toMatchObject({
      min: 1,
      operations: true,
      signs: expect.arrayContaining([signable('handoff').name, signable('hypercare').name]),
    });
    expect(needs.map((r) => r.key)).toEqual(template.roles.map((r) => r.key));
  });

  it('drops empty roles and repeated people from the body', () => {
    expect(participantsBody({ pm: ['ann', 'ann'], support: [] })).toEqual({ pm: ['ann'] });
  });
});

describe('problem field errors', () => {
  const errors = [
    { path: ['body', 'participants', 'pm'], code: 'too_few', message: 'pm needs 1' },
    { path: ['body', 'participants', 'pm', 0], code: 'unknown_user', message: 'no user "x"' },
    { path: ['body', 'name'], code: 'too_small', message: 'required' },
  ];
  it('groups by the field after a prefix and keeps the rest apart', () => {
    expect(errorsByKey(errors, ['body', 'participants'])).toEqual({
      pm: ['pm needs 1', 'no user "x"'],
    });
    expect(errorsOutside(errors, [['body', 'participants']])).toEqual([errors[2]]);
    expect(pathLabel(['body', 'criteria', 'budget'])).toBe('criteria › budget');
  });
});

describe('benefit charts', () => {
  const row = { ...template.metrics![1]!, actual: 70, met: false };
  it('draws baseline, target, actual and the verdict', () => {
    expect(pirBars(row)).toEqual([
      { label: 'Baseline', value: 120 },
      { label: 'Target', value: 60 },
      { label: 'Actual', value: 70 },
    ]);
    expect(verdictOf(row)).toBe('missed');
    expect(verdictOf({ met: undefined })).toBe('no-data');
    expect(progressToTarget(row, 70)).toBeCloseTo(50 / 60);
  });
  it('orders a metric’s readings by time', () => {
    const kpis = [
      { metric: 'm', value: 2, at: 20, by: 'u' },
      { metric: 'x', value: 9, at: 5, by: 'u' },
      { metric: 'm', value: 1, at: 10, by: 'u' },
    ];
    expect(kpiSeries(kpis, 'm')).toEqual([
      { at: 10, value: 1 },
      { at: 20, value: 2 },
    ]);
  });
  it('draws a metric on its allowed range, widened to what lies outside it', () => {
    const satisfaction = template.metrics!.find((m) => m.key === 'user-satisfaction')!;
    expect(metricDomain(satisfaction, [3.9, 4.4])).toEqual([1, 5]);
    // A reading outside the range (recorded before it was set) is still drawn.
    expect(metricDomain(satisfaction, [0.5, 4.4])).toEqual([0.5, 5]);
    expect(metricDomain({ ...satisfaction, max: undefined }, [4.4])).toEqual([1, 'auto']);
    // Without a range: the chart's usual ends.
    const tickets = template.metrics![1]!;
    expect(metricDomain(tickets, [70])).toEqual(['auto', 'auto']);
    expect(metricDomain(tickets, [70], [0, 'auto'])).toEqual([0, 'auto']);
  });
});

describe('time for people', () => {
  it('formats spans and countdowns', () => {
    expect(formatSpan(3 * 86_400_000 + 4 * 3_600_000 + 5)).toBe('3d 4h');
    expect(formatSpan(65_000)).toBe('1m 5s');
    expect(formatCountdown(10_000, 0)).toBe('in 10s');
    expect(formatCountdown(0, 7_200_000)).toBe('2h ago');
  });

  it('says when something is due the way people do', () => {
    const day = 86_400_000;
    const now = 1_000 * day;
    expect(formatDue(now + 2 * day + 5 * 3_600_000, now)).toBe('in 2 days');
    expect(formatDue(now + day, now)).toBe('in 1 day');
    expect(formatDue(now + 5 * 3_600_000, now)).toBe('in 5 hours');
    expect(formatDue(now + 10 * day - 2_000, now)).toBe('in 10 days');
    expect(formatDue(now + 20 * 3_600_000, now)).toBe('in 1 day');
    expect(formatDue(now + 12 * 60_000 + 20_000, now)).toBe('in 12 minutes');
    expect(formatDue(now + 29_000, now)).toBe('in less than a minute');
    expect(formatDue(now - 3 * day - 1, now)).toBe('3 days overdue');
    expect(formatDue(now - 3_600_000, now)).toBe('1 hour overdue');
  });

  it('says a deadline after what is due, not as a time ago', () => {
    const now = 1_000 * 86_400_000;
    // A hypercare issue's clock: "response due in 3 hours", never "overdue 1m 29s ago".
    expect(formatDue(now + 3 * 3_600_000 - 5_000, now, true)).toBe('due in 3 hours');
    expect(formatDue(now - 89_000, now, true)).toBe('1 minute overdue');
    expect(formatDue(now + 2 * 86_400_000, now, true)).toBe('due in 2 days');
    expect(formatDue(now, now, true)).toBe('due in less than a minute');
  });

  it('says a template’s durations in words', () => {
    expect(durationInWords('P7D')).toBe('7 days');
    expect(durationInWords('P1M')).toBe('1 month');
    expect(durationInWords('P1DT1H30M')).toBe('1 day 1 hour 30 minutes');
    expect(durationInWords('PT26S')).toBe('26 seconds');
    expect(durationInWords('PT0S')).toBe('no time');
    expect(durationInWords('soon')).toBe('soon');
  });
});
