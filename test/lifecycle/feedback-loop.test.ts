/**
 * Feedback with a loop (issue 13, item 6) on the pure interpreter: anyone taking part posts,
 * frontline staff included; the stewards of the node it was posted at, its owner or the PMO
 * acknowledge it and close it as acted on or declined with a response; refusals say why.
 */
import { decide, nextActions, pendingActions } from '../../workflows/lifecycle';
import { FEEDBACK_KEPT } from '../../workflows/lifecycle/feedback';
import { Simulator } from '../../workflows/lifecycle/simulation';
import { opsIntegratedDelivery, seatParticipants } from '../../workflows/model';
import { jointParticipants, jointTemplate } from '../fixtures/joint-hypercare';
import { unitProject } from '../fixtures/unit-project';

/** At the plan stage of the joint mini lifecycle (owner: pm), with one frontline item posted. */
function withFeedback() {
  const sim = new Simulator(jointTemplate(), { participants: jointParticipants, ...unitProject });
  const posted = sim.must('fran', { type: 'feedback', kind: 'feedback', text: 'Tills too slow' });
  return { sim, id: posted.id! };
}

const code = (d: ReturnType<Simulator['act']>) => (d.ok ? undefined : d.rejection.code);

it('lets frontline staff post in the built-in, as optional participants', () => {
  expect(opsIntegratedDelivery.roles.map((r) => r.key)).toContain('frontline');
  const sim = new Simulator(opsIntegratedDelivery, {
    participants: seatParticipants(opsIntegratedDelivery),
    ...unitProject,
  });
  const posted = sim.must('frontline-1', { type: 'feedback', kind: 'feedback', text: 'Noisy' });
  expect(sim.state.feedback[0]).toMatchObject({ id: posted.id, by: 'frontline-1' });
  expect(sim.state.feedback[0]).not.toHaveProperty('status');
});

it('is acknowledged with an owner, then acted on with a response, and the poster hears', () => {
  const { sim, id } = withFeedback();
  expect(nextActions(sim.state, sim.machine.template, 'pat')).toContainEqual(
    expect.objectContaining({ action: 'answer-feedback', itemId: id, detail: 'open' }),
  );
  expect(nextActions(sim.state, sim.machine.template, 'olga').map((a) => a.action)).not.toContain(
    'answer-feedback',
  );
  sim.must('pat', {
    type: 'feedbackStatus',
    feedbackId: id,
    status: 'acknowledged',
    owner: 'olga',
  });
  expect(sim.state.feedback[0]).toMatchObject({ status: 'acknowledged', owner: 'olga' });
  // The owner may now close it, though olga is no steward of the plan stage.
  sim.must('olga', {
    type: 'feedbackStatus',
    feedbackId: id,
    status: 'acted_on',
    response: 'New till software rolled out',
  });
  expect(sim.state.feedback[0]).toMatchObject({
    status: 'acted_on',
    statusBy: 'olga',
    responseRef: expect.objectContaining({ length: 28 }),
  });
  // The poster's answers link to the project's feedback, like every notice of an item.
  const told = sim.notified('feedback').filter((n) => n.recipients.includes('fran'));
  expect(told.map((n) => n.subject)).toEqual([
    'Project One: your feedback was acknowledged',
    'Project One: your feedback was acted on',
  ]);
  expect(sim.audits.filter((a) => a.action === 'feedback.status')).toHaveLength(2);
  expect(nextActions(sim.state, sim.machine.template, 'pat').map((a) => a.action)).not.toContain(
    'answer-feedback',
  );
});

it('refuses with reasons', () => {
  const { sim, id } = withFeedback();
  const set = (user: string, extra: object, pmo = false) =>
    code(sim.act(user, { type: 'feedbackStatus', feedbackId: id, ...extra } as never, pmo));
  expect(set('fran', { status: 'acknowledged' })).toBe('not_responsible');
  expect(set('stranger', { status: 'acknowledged' })).toBe('not_participant');
  expect(
    code(sim.act('pat', { type: 'feedbackStatus', feedbackId: 'feedback-9', status: 'declined' })),
  ).toBe('unknown_feedback');
  expect(set('pat', { status: 'declined' })).toBe('invalid_input');
  expect(set('pat', { status: 'acknowledged', owner: 'nobody' })).toBe('invalid_participants');
  expect(set('pat', { status: 'acknowledged' })).toBeUndefined();
  expect(set('pat', { status: 'acknowledged' })).toBe('already_acknowledged');
  // The PMO answers without taking part.
  expect(set('pmo-1', { status: 'declined', response: 'Out of scope' }, true)).toBeUndefined();
  expect(set('pat', { status: 'acted_on', response: 'Late' })).toBe('feedback_closed');
});

it('keeps open items over closed ones when the state drops old entries', () => {
  const { sim, id } = withFeedback();
  for (let i = 0; i < FEEDBACK_KEPT; i++) {
    const next = sim.must('pat', { type: 'feedback', kind: 'lesson', text: `lesson ${i}` });
    if (i < 5) {
      sim.must('pat', {
        type: 'feedbackStatus',
        feedbackId: next.id!,
        status: 'declined',
        response: 'no',
      });
    }
  }
  expect(sim.state.feedback).toHaveLength(FEEDBACK_KEPT);
  expect(sim.state.feedback[0]!.id).toBe(id);
  expect(sim.state.feedback.filter((f) => f.status === 'declined')).toHaveLength(4);
});

describe('whose inbox an item is in', () => {
  /** `user`'s inbox items for feedback: [item, status] pairs. */
  const inbox = (sim: Simulator, user: string) =>
    pendingActions(sim.state, sim.machine.template, user)
      .filter((a) => a.action === 'answer-feedback')
      .map((a) => [a.itemId, a.detail]);

  it("is the node's stewards' while open, then its owner's alone until closed", () => {
    const { sim, id } = withFeedback();
    // Posted at the plan stage, owned by pm: pat's inbox, nobody else's (not the poster's).
    expect(inbox(sim, 'pat')).toEqual([[id, 'open']]);
    expect(pendingActions(sim.state, sim.machine.template, 'pat')).toContainEqual(
      expect.objectContaining({
        action: 'answer-feedback',
        nodeId: 'plan',
        nodeName: 'Operationalization plan',
        roles: ['pm'],
      }),
    );
    for (const user of ['olga', 'omar', 'sam', 'fran']) expect(inbox(sim, user)).toEqual([]);
    sim.must('pat', {
      type: 'feedbackStatus',
      feedbackId: id,
      status: 'acknowledged',
      owner: 'olga',
    });
    // Taken on for olga: hers to close; pat may still answer it, but it waits for olga.
    expect(inbox(sim, 'olga')).toEqual([[id, 'acknowledged']]);
    expect(inbox(sim, 'pat')).toEqual([]);
    expect(nextActions(sim.state, sim.machine.template, 'pat')).toContainEqual(
      expect.objectContaining({ action: 'answer-feedback', itemId: id, pending: false }),
    );
    sim.must('olga', {
      type: 'feedbackStatus',
      feedbackId: id,
      status: 'declined',
      response: 'No budget',
    });
    for (const user of ['pat', 'olga']) expect(inbox(sim, user)).toEqual([]);
  });

  it('stays with the steward who acknowledges it without naming an owner', () => {
    const { sim, id } = withFeedback();
    sim.must('pat', { type: 'feedbackStatus', feedbackId: id, status: 'acknowledged' });
    expect(inbox(sim, 'pat')).toEqual([[id, 'acknowledged']]);
  });

  it("is the stewards' again when the owner no longer takes part (a run from before the handover)", () => {
    const { sim, id } = withFeedback();
    sim.must('pat', {
      type: 'feedbackStatus',
      feedbackId: id,
      status: 'acknowledged',
      owner: 'omar',
    });
    expect(inbox(sim, 'pat')).toEqual([]);
    // Since patch "feedback-handover" the item goes to otto (feedback-handover.test.ts).
    const reassign = {
      type: 'reassign',
      role: 'ops',
      from: 'omar',
      to: 'otto',
      reason: 'left',
      actor: { userId: 'pmo-1', pmo: true },
    } as const;
    const before = decide(sim.machine, reassign, sim.now, { feedbackHandover: false });
    if (!before.ok) throw new Error(before.rejection.message);
    const { state, template } = before.machine;
    const pending = (user: string) =>
      nextActions(state, template, user)
        .filter((a) => a.action === 'answer-feedback' && a.pending)
        .map((a) => [a.itemId, a.detail]);
    expect(pending('pat')).toEqual([[id, 'acknowledged']]);
    expect(pending('omar')).toEqual([]);
  });

  it("is a steward's own item too when the steward posted it, and never the PMO's", () => {
    const sim = new Simulator(jointTemplate(), { participants: jointParticipants, ...unitProject });
    const posted = sim.must('pat', { type: 'feedback', kind: 'lesson', text: 'Start ops early' });
    expect(inbox(sim, 'pat')).toEqual([[posted.id, 'open']]);
    expect(
      nextActions(sim.state, sim.machine.template, 'pmo-1', { pmo: true }).filter(
        (a) => a.action === 'answer-feedback',
      ),
    ).toEqual([expect.objectContaining({ itemId: posted.id, roles: [], pending: false })]);
  });

  it("follows the node it was posted at: a gate without owners is its signers'", () => {
    const { sim, id } = withFeedback();
    sim.must('pat', { type: 'deliverable', nodeId: 'plan', deliverableId: 'runbook', text: 'r' });
    sim.must('pat', { type: 'complete', nodeId: 'plan' });
    expect(sim.state.current).toEqual(['approval']);
    const atGate = sim.must('fran', { type: 'feedback', kind: 'feedback', text: 'Train nights' });
    // The plan's item stays pat's; the gate's goes to its signers, pm and both ops.
    expect(inbox(sim, 'pat')).toEqual([
      [id, 'open'],
      [atGate.id, 'open'],
    ]);
    for (const user of ['olga', 'omar']) expect(inbox(sim, user)).toEqual([[atGate.id, 'open']]);
    expect(inbox(sim, 'sam')).toEqual([]);
  });
});
