/** The key facts node cards show. */
import { opsIntegratedDelivery } from '../../workflows/model';
import { nodeFacts } from '../../designer/src/logic/facts';

const facts = (id: string) =>
  nodeFacts(
    opsIntegratedDelivery.nodes.find((n) => n.id === id)!,
    opsIntegratedDelivery.roles,
  );

describe('node facts', () => {
  it('summarises signers, criteria, deliverables and durations', () => {
    expect(facts('inception')).toEqual([
      'signers: Project manager ×1 · Operations lead ×1',
      '2 must · 2 should',
      'pass score 0.6',
      '4 deliverables (4 required)',
      'SLA P10D',
      'decides: go, hold, kill',
    ]);
    expect(facts('pilot')).toEqual([
      '4 deliverables (3 required)',
      'owner: Project manager',
      'SLA P6W',
    ]);
    expect(facts('hypercare')).toEqual([
      'P28D (+P7D ×2)',
      'exit: Operations manager ×1',
      '2 escalation levels',
      'blocking S1–S2',
    ]);
    expect(facts('pir')).toEqual([
      'signers: Steering committee ×1 · Operations manager ×1',
      '0 must · 3 should',
      '4 metric(s)',
    ]);
    expect(facts('kpi-monitoring')).toEqual([
      'every P1M',
      'reviewers: Operations manager',
      'alert after 2 misses',
    ]);
    expect(facts('completed')).toEqual(['result: completed']);
  });
});
