/**
 * A KPI reading dated after now is refused (patch "kpi-not-future"), pure: beyond the clock
 * skew it is `in_the_future` naming `at` and records nothing; within it, or in the past, it is
 * recorded; an Update applied before the patch (`kpiNotFuture: false`) is decided as then.
 */
import { decide } from '../../workflows/lifecycle';
import { KPI_CLOCK_SKEW_MS } from '../../workflows/lifecycle/monitor';
import { Simulator } from '../../workflows/lifecycle/simulation';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { unitProject } from '../fixtures/unit-project';

const project = () =>
  new Simulator(miniTemplate, { participants: miniParticipants, ...unitProject });
const reading = (sim: Simulator, aheadMs: number) => ({
  type: 'recordKpi' as const,
  metric: 'adoption',
  value: 90,
  at: new Date(sim.now + aheadMs).toISOString(),
});

it('refuses a reading dated after now beyond the clock skew, naming at', () => {
  const sim = project();
  const before = sim.state;
  const refused = sim.act('pat', reading(sim, KPI_CLOCK_SKEW_MS + 1000));
  expect(refused).toMatchObject({ ok: false, rejection: { code: 'in_the_future', path: ['at'] } });
  expect(sim.state).toBe(before);
});

it('records a reading within the clock skew, and one in the past', () => {
  const sim = project();
  sim.must('pat', reading(sim, KPI_CLOCK_SKEW_MS - 1000));
  sim.must('pat', reading(sim, -86_400_000));
  expect(sim.state.kpis).toHaveLength(2);
});

it('decides an Update applied before the patch as then: recorded', () => {
  const sim = project();
  const command = { ...reading(sim, 365 * 86_400_000), actor: { userId: 'pat' } };
  const old = decide(sim.machine, command, sim.now, { kpiNotFuture: false });
  expect(old.ok && old.machine.state.kpis).toHaveLength(1);
});
