/**
 * KPI values within their metric's allowed range (patch "kpi-in-range"), pure: a reading or a
 * KPI review's value outside `min` … `max` is refused `out_of_range` naming the field and
 * records nothing; one on the bounds is recorded; an Update applied before the patch
 * (`kpiInRange: false`) is decided as it was then.
 */
import { decide } from '../../workflows/lifecycle';
import { Simulator } from '../../workflows/lifecycle/simulation';
import { opsIntegratedDelivery, type Template } from '../../workflows/model';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { unitProject } from '../fixtures/unit-project';

/** The mini lifecycle, started in its monitor (reviews every 10 s), adoption a percentage. */
const percent: Template = {
  ...miniTemplate,
  start: 'monitor',
  metrics: miniTemplate.metrics!.map((m) =>
    m.key === 'adoption' ? { ...m, min: 0, max: 100 } : m,
  ),
  nodes: miniTemplate.nodes.map((n) => (n.type === 'monitor' ? { ...n, reviewWithin: 'PT4S' } : n)),
};
const project = () => new Simulator(percent, { participants: miniParticipants, ...unitProject });
const reading = (value: number) => ({ type: 'recordKpi' as const, metric: 'adoption', value });

it('gives the built-in template’s adoption rate the range of a percentage', () => {
  const adoption = opsIntegratedDelivery.metrics!.find((m) => m.key === 'adoption-rate');
  expect(adoption).toMatchObject({ unit: '%', min: 0, max: 100 });
});

it('refuses a reading outside the range, naming the value, and records one on its bounds', () => {
  const sim = project();
  for (const value of [130, -5, 100.5]) {
    const refused = sim.act('pat', reading(value));
    expect(refused).toMatchObject({
      ok: false,
      rejection: { code: 'out_of_range', path: ['value'] },
    });
    expect(!refused.ok && refused.rejection.message).toBe(
      `${value} for "Adoption rate" is outside what the template allows (0 … 100)`,
    );
  }
  expect(sim.state.kpis).toEqual([]);
  sim.must('pat', reading(0));
  sim.must('pat', reading(100));
  // A metric without a range takes any finite value.
  sim.must('pat', { type: 'recordKpi', metric: 'tickets', value: 1e6 });
  expect(sim.state.kpis.map((k) => k.value)).toEqual([0, 100, 1e6]);
});

it('refuses a KPI review’s value outside the range, naming it, and keeps the review open', () => {
  const sim = project();
  sim.advance(10_000);
  const review = { type: 'kpiReview' as const, nodeId: 'monitor', decision: 'keep' as const };
  expect(sim.act('omar', { ...review, values: { adoption: 130, tickets: 30 } })).toMatchObject({
    ok: false,
    rejection: { code: 'out_of_range', path: ['values', 'adoption'] },
  });
  expect(sim.state.nodes.monitor!.monitor!.open).toBeDefined();
  expect(sim.state.kpis).toEqual([]);
  sim.must('omar', { ...review, values: { adoption: 85, tickets: 30 } });
  expect(sim.state.kpis.map((k) => k.value)).toEqual([85, 30]);
});

it('records as it did an Update applied before the patch', () => {
  const sim = project();
  const before = decide(sim.machine, { ...reading(130), actor: { userId: 'pat' } }, sim.now, {
    kpiInRange: false,
  });
  expect(before.ok && before.machine.state.kpis.map((k) => k.value)).toEqual([130]);
  expect(decide(sim.machine, { ...reading(130), actor: { userId: 'pat' } }, sim.now)).toMatchObject(
    { ok: false },
  );
});
