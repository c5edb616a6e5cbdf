/**
 * The project view's metrics and KPI review forms, as pure functions: rows beside the
 * template's values, the body a draft sends (only what changed), the review's body.
 */
import {
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
