/**
 * Operations agree the metrics version they saw (patch "metrics-as-seen"), pure: an
 * `agreeMetrics` naming a `metricsChangedAt` the project's metrics no longer have is refused
 * `metrics_changed` and records nothing; naming the current one (or `null` while the project
 * set none), or naming none, agrees; an Update applied before the patch (`metricsAsSeen:
 * false`) is decided as it was then.
 */
import { decide } from '../../workflows/lifecycle';
import { Simulator } from '../../workflows/lifecycle/simulation';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { unitProject } from '../fixtures/unit-project';

const project = () =>
  new Simulator(miniTemplate, { participants: miniParticipants, ...unitProject });
const agree = (metricsChangedAt?: number | null) => ({
  type: 'agreeMetrics' as const,
  actor: { userId: 'olga' },
  ...(metricsChangedAt !== undefined && { metricsChangedAt }),
});

/** The PM sets a target, operations look, then the PM changes it a second later. */
function changedAfterSeen(): { sim: Simulator; seen: number } {
  const sim = project();
  sim.must('pat', { type: 'setMetrics', metrics: { adoption: { target: 60 } } });
  const seen = sim.state.metrics!.changedAt;
  sim.now += 1000;
  sim.must('pat', { type: 'setMetrics', metrics: { adoption: { target: 70 } } });
  return { sim, seen };
}

describe('an agreement naming the metrics version its approver saw', () => {
  it('is refused once the metrics changed since, naming the field, and records nothing', () => {
    const { sim, seen } = changedAfterSeen();
    const before = { state: sim.state, audits: sim.audits.length };
    const stale = sim.act('olga', { type: 'agreeMetrics', metricsChangedAt: seen });
    expect(stale).toMatchObject({
      ok: false,
      rejection: { code: 'metrics_changed', path: ['metricsChangedAt'] },
    });
    expect(!stale.ok && stale.rejection.message).toMatch(/review the new values/);
    expect(sim.state).toBe(before.state);
    expect(sim.state.metrics!.agreed).toBeUndefined();
    expect(sim.audits).toHaveLength(before.audits);
  });

  it('is refused when the project set metrics after operations saw the template’s', () => {
    const sim = project();
    sim.must('pat', { type: 'setMetrics', metrics: { adoption: { target: 60 } } });
    expect(sim.act('olga', { type: 'agreeMetrics', metricsChangedAt: null })).toMatchObject({
      ok: false,
      rejection: { code: 'metrics_changed' },
    });
  });

  it('agrees when the version is current, and when none is named', () => {
    const { sim } = changedAfterSeen();
    const current = sim.state.metrics!.changedAt;
    sim.must('olga', { type: 'agreeMetrics', metricsChangedAt: current });
    expect(sim.state.metrics!.agreed).toMatchObject({ by: 'olga', role: 'ops' });
    expect(sim.audits.at(-1)!.action).toBe('metrics.agreed');

    const other = changedAfterSeen().sim;
    other.must('olga', { type: 'agreeMetrics' });
    expect(other.state.metrics!.agreed).toMatchObject({ by: 'olga' });

    const untouched = project();
    untouched.must('omar', { type: 'agreeMetrics', metricsChangedAt: null });
    expect(untouched.state.metrics!.agreed).toMatchObject({ by: 'omar' });
  });

  it('agrees as recorded when the Update was applied before the patch', () => {
    const { sim, seen } = changedAfterSeen();
    const decision = decide(sim.machine, agree(seen), sim.now, { metricsAsSeen: false });
    expect(decision.ok && decision.machine.state.metrics!.agreed).toMatchObject({ by: 'olga' });
    expect(decide(sim.machine, agree(seen), sim.now)).toMatchObject({ ok: false });
  });
});
