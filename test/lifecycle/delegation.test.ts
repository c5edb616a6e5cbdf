/**
 * Delegation and reassignment in the pure interpreter: a vote cast for a participant is that
 * participant's (their roles, counted once, recorded with who cast it); the PMO replaces a
 * participant with the start's staffing check.
 */
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { approveCriteria, atApproval } from './in-hypercare';

const go = (onBehalfOf?: string) =>
  ({
    type: 'signoff',
    nodeId: 'approval',
    decision: 'go',
    criteria: approveCriteria,
    ...(onBehalfOf !== undefined && { onBehalfOf }),
  }) as const;

describe('signing for someone', () => {
  it("counts the participant once, the delegate's own role apart, and records both", () => {
    const sim = atApproval(miniTemplate, miniParticipants);
    // Olga (ops) stands in for omar (ops): his vote, then hers, make the two ops votes.
    sim.must('olga', go('omar'));
    expect(sim.act('omar', go())).toMatchObject({
      ok: false,
      rejection: { code: 'already_signed' },
    });
    expect(sim.act('olga', go('omar'))).toMatchObject({
      ok: false,
      rejection: { code: 'already_signed' },
    });
    sim.must('olga', go());
    expect(sim.state.current).toEqual(['approval']);
    sim.must('pat', go());
    expect(sim.state.nodes.approval!.status).toBe('done');
    expect(sim.state.nodes.approval!.votes.map((v) => [v.userId, v.by, v.role])).toEqual([
      ['omar', 'olga', 'ops'],
      ['olga', undefined, 'ops'],
      ['pat', undefined, 'pm'],
    ]);
    const signoffs = sim.audits.filter((a) => a.action === 'signoff');
    expect(signoffs.map((a) => [a.actor, a.detail?.onBehalfOf])).toEqual([
      ['olga', 'omar'],
      ['olga', undefined],
      ['pat', undefined],
    ]);
  });

  it("checks the participant's roles, not the delegate's", () => {
    const sim = atApproval(miniTemplate, miniParticipants);
    // sam (steering) signs nothing here, whoever signs for him.
    expect(sim.act('olga', go('sam'))).toMatchObject({
      ok: false,
      rejection: { code: 'not_signer', path: ['onBehalfOf'] },
    });
    // A steering member standing in for the pm signs as pm.
    sim.must('sam', go('pat'));
    expect(sim.state.nodes.approval!.votes).toEqual([
      expect.objectContaining({ userId: 'pat', by: 'sam', role: 'pm' }),
    ]);
    // Signing "for" oneself is one's own vote.
    sim.must('omar', go('omar'));
    expect(sim.state.nodes.approval!.votes[1]).toEqual(
      expect.not.objectContaining({ by: expect.anything() }),
    );
  });
});

describe('reassigning a participant', () => {
  it('is the PMO’s, keeps every rule staffed and tells both people', () => {
    const sim = atApproval(miniTemplate, miniParticipants);
    const move = { type: 'reassign', role: 'ops', from: 'omar', to: 'otto' } as const;
    expect(sim.act('pat', move)).toMatchObject({ ok: false, rejection: { code: 'not_allowed' } });
    expect(sim.act('pmo-1', { ...move, from: 'nobody' }, true)).toMatchObject({
      ok: false,
      rejection: { code: 'invalid_input', path: ['from'] },
    });
    expect(sim.act('pmo-1', { ...move, to: 'olga' }, true)).toMatchObject({
      ok: false,
      rejection: { code: 'invalid_input', path: ['to'] },
    });
    sim.must('pmo-1', move, true);
    expect(sim.state.participants.ops).toEqual(['olga', 'otto']);
    expect(sim.audits.at(-1)).toMatchObject({
      action: 'participant.reassigned',
      actor: 'pmo-1',
      detail: { role: 'ops', from: 'omar', to: 'otto' },
    });
    expect(sim.notified('message').at(-1)!.recipients).toEqual(['otto', 'omar']);
    expect(sim.act('omar', go())).toMatchObject({ ok: false, rejection: { code: 'not_signer' } });
    sim.must('otto', go());
  });
});
