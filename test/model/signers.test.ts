/** Who signs a node and how many distinct users each role needs: the model's one answer. */
import fc from 'fast-check';
import {
  allowedDecisions,
  checkParticipants,
  opsIntegratedDelivery,
  quorumReached,
  ruleTallies,
  seatParticipants,
  signerRoles,
  signerRules,
  usersNeeded,
  type Node,
  type Vote,
} from '../../workflows/model';
import { arbValidTemplate } from '../fixtures/arbitraries';
import { miniTemplate } from '../fixtures/mini-template';

const node = (id: string): Node => miniTemplate.nodes.find((n) => n.id === id)!;
const vote = (userId: string, role: string, decision: Vote['decision'] = 'go'): Vote => ({
  userId,
  role,
  decision,
  at: 0,
});

describe('who signs a node', () => {
  it('reads gate and review sign-off and the hypercare exit; nobody signs other nodes', () => {
    expect(signerRoles(node('approval'))).toEqual(['pm', 'ops']);
    expect(signerRules(node('hypercare'))).toEqual(
      (node('hypercare') as Extract<Node, { type: 'hypercare' }>).exit.rules,
    );
    expect(signerRules(node('plan'))).toEqual([]);
    expect(allowedDecisions(node('approval'))).toEqual(['go', 'recycle', 'hold', 'kill']);
    expect(allowedDecisions(node('hypercare'))).toEqual(['go']);
    expect(allowedDecisions(node('plan'))).toEqual([]);
  });

  it('tallies distinct go signers per rule; other decisions do not count', () => {
    const approval = node('approval');
    const votes = [vote('pat', 'pm'), vote('olga', 'ops'), vote('oleg', 'ops', 'recycle')];
    expect(ruleTallies(approval, votes)).toEqual([
      { role: 'pm', min: 1, go: 1, met: true },
      { role: 'ops', min: 2, go: 1, met: false },
    ]);
    expect(quorumReached(approval, votes)).toBe(false);
    expect(quorumReached(approval, [...votes, vote('oleg', 'ops')])).toBe(true);
  });
});

describe('users needed per role', () => {
  it('is the largest min of the rules naming the role, 0 for roles that sign nothing', () => {
    expect(usersNeeded(miniTemplate)).toEqual({ pm: 1, ops: 2, steering: 1 });
    expect(seatParticipants(miniTemplate)).toEqual({
      pm: ['pm-1'],
      ops: ['ops-1', 'ops-2'],
      steering: ['steering-1'],
    });
    const needed = usersNeeded(opsIntegratedDelivery);
    expect(Object.keys(needed)).toEqual(opsIntegratedDelivery.roles.map((r) => r.key));
  });

  it('property: the seats staff every rule of every valid template', () => {
    fc.assert(
      fc.property(arbValidTemplate(), (template) => {
        const needed = usersNeeded(template);
        for (const n of template.nodes) {
          for (const rule of signerRules(n))
            expect(needed[rule.role]).toBeGreaterThanOrEqual(rule.min);
        }
        for (const [role, count] of Object.entries(needed)) {
          const mins = template.nodes.flatMap((n) =>
            signerRules(n)
              .filter((r) => r.role === role)
              .map((r) => r.min),
          );
          expect(count).toBe(Math.max(0, ...mins));
        }
        expect(checkParticipants(template, seatParticipants(template))).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
