/**
 * The project view's metrics and KPI review forms, as pure functions: rows beside the
 * template's values, the body a draft sends (only what changed), the review's body.
 */
import {
  effectiveDraft,
  metricRows,
  metricsBodyOf,
  metricsDraftOf,
  reviewBodyOf,
} from '../../designer/src/workspace/logic/metrics';
import type { ProjectMetrics, Template } from '../../workflows/model';
import { miniTemplate } from '../fixtures/mini-template';

const template: Template = {
  ...miniTemplate,
  metrics: miniTemplate.metrics!.map((m) =>
    m.key === 'adoption' ? { ...m, min: 0, max: 100 } : m,
  ),
};
const own: ProjectMetrics = {
  values: { adoption: { target: 60 } },
  delivery: { targetDate: '2027-01-31' },
  changedAt: 1,
  changedBy: 'pat',
};

describe('project metrics form', () => {
  it('shows the project’s values beside the template’s and the allowed range', () => {
    expect(metricRows(template, own)).toEqual([
      expect.objectContaining({
        key: 'adoption',
        baseline: 10,
        target: 60,
        template: { baseline: 10, target: 80 },
        range: '0 … 100',
      }),
      expect.objectContaining({ key: 'tickets', target: 20, range: 'any value' }),
    ]);
  });

  it('sends only what changed, and nothing when nothing did', () => {
    const draft = metricsDraftOf(template, own);
    expect(draft.values.adoption).toEqual({ baseline: '10', target: '60' });
    expect(metricsBodyOf(template, own, draft)).toBeUndefined();
    const edited = {
      ...draft,
      values: { ...draft.values, tickets: { baseline: '45', target: '20' } },
      budget: '90000',
      currency: 'eur',
    };
    expect(metricsBodyOf(template, own, edited)).toEqual({
      metrics: { tickets: { baseline: 45 } },
      delivery: { targetDate: '2027-01-31', budget: 90000, currency: 'EUR' },
    });
  });
});

describe('project metrics form while someone else sets them', () => {
  const seen: ProjectMetrics = {
    values: { adoption: { target: 60 } },
    delivery: { targetDate: '2027-01-31', budget: 100_000, currency: 'EUR' },
    changedAt: 1,
    changedBy: 'pat',
  };
  // Opened on `seen`; meanwhile operations moved the adoption target and the budget.
  const now: ProjectMetrics = {
    values: { adoption: { target: 70 } },
    delivery: { targetDate: '2027-01-31', budget: 120_000, currency: 'EUR' },
    changedAt: 2,
    changedBy: 'olga',
  };

  it('sends what was typed and keeps what others set meanwhile, never their old values', () => {
    const typed = { ...metricsDraftOf(template, seen), targetDate: '2027-03-31' };
    const draft = effectiveDraft(template, seen, now, typed);
    expect(draft).toMatchObject({ targetDate: '2027-03-31', budget: '120000' });
    expect(draft.values.adoption).toEqual({ baseline: '10', target: '70' });
    expect(metricsBodyOf(template, now, draft)).toEqual({
      delivery: { targetDate: '2027-03-31', budget: 120_000, currency: 'EUR' },
    });
  });

  it('keeps a field typed over what someone else set', () => {
    const opened = metricsDraftOf(template, seen);
    const typed = {
      ...opened,
      values: { ...opened.values, adoption: { baseline: '10', target: '65' } },
    };
    const draft = effectiveDraft(template, seen, now, typed);
    expect(metricsBodyOf(template, now, draft)).toEqual({ metrics: { adoption: { target: 65 } } });
    // Nothing typed: nothing to send, whatever changed meanwhile.
    expect(
      metricsBodyOf(template, now, effectiveDraft(template, seen, now, opened)),
    ).toBeUndefined();
  });
});

describe('KPI review form', () => {
  it('sends the typed values, the decision and the named actions only', () => {
    expect(
      reviewBodyOf({
        values: { adoption: '72', tickets: '' },
        decision: 'act',
        comment: '  night shift lags ',
        actions: [
          { text: 'Train the night shift', due: 'P14D', owner: 'pm' },
          { text: '  ', due: 'P7D', owner: 'ops' },
        ],
      }),
    ).toEqual({
      values: { adoption: 72 },
      decision: 'act',
      comment: 'night shift lags',
      actions: [{ text: 'Train the night shift', due: 'P14D', owner: 'pm' }],
    });
    expect(reviewBodyOf({ values: {}, decision: 'keep', comment: '', actions: [] })).toEqual({
      decision: 'keep',
    });
  });
});
