/**
 * Feedback follows reassignment, and people hear about it (patch "feedback-handover"), on the
 * pure interpreter: a posted item tells the stewards who answer it; an item given to someone
 * tells them; when the PMO reassigns a participant who leaves the project, what they owned —
 * open feedback and review follow-up actions — goes to their successor, with an audit entry
 * and a notification. Histories recorded before the patch decide as they did (no notices, no
 * handover of feedback).
 */
import { decide, nextActions } from '../../workflows/lifecycle';
import { Simulator, type SimCommand } from '../../workflows/lifecycle/simulation';
import type { Command } from '../../workflows/model';
import { jointParticipants, jointTemplate } from '../fixtures/joint-hypercare';
import { pirParticipants, pirTemplate } from '../fixtures/pir-template';
import { unitProject } from '../fixtures/unit-project';

/** At the plan stage of the joint mini lifecycle (owner: pm), with a frontline item posted. */
function withFeedback(participants = jointParticipants) {
  const sim = new Simulator(jointTemplate(), { participants, ...unitProject });
  const posted = sim.must('fran', { type: 'feedback', kind: 'feedback', text: 'Tills too slow' });
  return { sim, id: posted.id! };
}

const giveTo = (id: string, owner: string): SimCommand => ({
  type: 'feedbackStatus',
  feedbackId: id,
  status: 'acknowledged',
  owner,
});
const move = (role: string, from: string, to: string): SimCommand => ({
  type: 'reassign',
  role,
  from,
  to,
  reason: 'moved to another team',
});
/** `user`'s pending feedback items: [id, status]. */
const inbox = (sim: Simulator, user: string) =>
  nextActions(sim.state, sim.machine.template, user)
    .filter((a) => a.action === 'answer-feedback' && a.pending)
    .map((a) => [a.itemId, a.detail]);
const feedbackNotices = (sim: Simulator) =>
  sim.notified('feedback').map((n) => ({ to: n.recipients, subject: n.subject, text: n.text }));

describe('posting feedback', () => {
  it('tells the stewards of the node it was posted at, not the poster', () => {
    const { sim, id } = withFeedback();
    expect(feedbackNotices(sim)).toEqual([
      {
        to: ['pat'],
        subject: 'Project One: new feedback to answer',
        text: expect.stringContaining('Tills too slow'),
      },
    ]);
    expect(sim.notified('feedback')[0]).toMatchObject({ nodeId: 'plan' });
    expect(feedbackNotices(sim)[0]!.text).toContain(id);
  });

  it('tells nobody else when the only steward posted it', () => {
    const sim = new Simulator(jointTemplate(), { participants: jointParticipants, ...unitProject });
    sim.must('pat', { type: 'feedback', kind: 'lesson', text: 'Start ops early' });
    expect(sim.notified('feedback')).toEqual([]);
  });
});

describe('giving feedback to someone', () => {
  it('tells the new owner, not the steward who took it on for themselves', () => {
    const { sim, id } = withFeedback();
    sim.must('pat', { type: 'feedbackStatus', feedbackId: id, status: 'acknowledged' });
    // The stewards heard of the item, its poster that it was taken on: nobody was given it.
    expect(feedbackNotices(sim).map((n) => n.to)).toEqual([['pat'], ['fran']]);
    const other = sim.must('fran', { type: 'feedback', kind: 'lesson', text: 'Pilot' }).id!;
    sim.must('pat', giveTo(other, 'omar'));
    const toOmar = feedbackNotices(sim).filter((n) => n.to.includes('omar'));
    expect(toOmar).toEqual([
      {
        to: ['omar'],
        subject: 'Project One: lesson given to you',
        text: expect.stringContaining(other),
      },
    ]);
  });
});

describe('reassigning the owner', () => {
  it('hands open feedback to the successor, with an audit entry and a notification', () => {
    const { sim, id } = withFeedback();
    sim.must('pat', giveTo(id, 'omar'));
    expect(inbox(sim, 'omar')).toEqual([[id, 'acknowledged']]);
    sim.must('pmo-1', move('ops', 'omar', 'otto'), true);
    expect(sim.state.feedback[0]).toMatchObject({ id, owner: 'otto' });
    expect(sim.audits.filter((a) => a.action === 'feedback.handed-over')).toEqual([
      expect.objectContaining({
        actor: 'pmo-1',
        reason: 'moved to another team',
        detail: { id, role: 'ops', from: 'omar', to: 'otto' },
      }),
    ]);
    expect(feedbackNotices(sim).at(-1)).toEqual({
      to: ['otto'],
      subject: 'Project One: feedback handed over to you',
      text: expect.stringContaining(id),
    });
    expect(inbox(sim, 'otto')).toEqual([[id, 'acknowledged']]);
    expect(inbox(sim, 'omar')).toEqual([]);
    expect(inbox(sim, 'pat')).toEqual([]);
    sim.must('otto', {
      type: 'feedbackStatus',
      feedbackId: id,
      status: 'acted_on',
      response: 'Done',
    });
  });

  it('leaves it with an owner who still takes part in another role, and closed items alone', () => {
    const { sim, id } = withFeedback({ ...jointParticipants, steering: ['sam', 'omar'] });
    sim.must('pat', giveTo(id, 'omar'));
    const closed = sim.must('fran', { type: 'feedback', kind: 'lesson', text: 'Pilot first' }).id!;
    sim.must('pat', giveTo(closed, 'olga'));
    sim.must('olga', {
      type: 'feedbackStatus',
      feedbackId: closed,
      status: 'declined',
      response: 'No',
    });
    sim.must('pmo-1', move('ops', 'omar', 'otto'), true);
    sim.must('pmo-1', move('ops', 'olga', 'oona'), true);
    expect(sim.state.feedback.map((f) => [f.id, f.owner])).toEqual([
      [id, 'omar'],
      [closed, 'olga'],
    ]);
    expect(sim.audits.filter((a) => a.action === 'feedback.handed-over')).toEqual([]);
    expect(inbox(sim, 'omar')).toEqual([[id, 'acknowledged']]);
  });

  it('hands a review follow-up action to the successor the same way', () => {
    const sim = new Simulator(pirTemplate(), { participants: pirParticipants, ...unitProject });
    const set = sim.must('stan', {
      type: 'reviewAction',
      nodeId: 'pir',
      text: 'Refresher training',
      due: 'P10D',
      owner: 'support',
      assignee: 'sid',
    });
    sim.must('pmo-1', move('support', 'sid', 'sam'), true);
    expect(sim.audits.filter((a) => a.action === 'review.action-handed-over')).toEqual([
      expect.objectContaining({
        nodeId: 'pir',
        detail: { actionId: set.id, role: 'support', from: 'sid', to: 'sam' },
      }),
    ]);
    expect(sim.notified('action-required').at(-1)).toMatchObject({
      recipients: ['sam'],
      nodeId: 'pir',
      text: expect.stringContaining('Refresher training'),
    });
  });
});

it('decides as before the patch when a recorded history asks for it', () => {
  const { sim, id } = withFeedback();
  sim.must('pat', giveTo(id, 'omar'));
  const command = {
    ...move('ops', 'omar', 'otto'),
    actor: { userId: 'pmo-1', pmo: true },
  } as Command;
  const before = decide(sim.machine, command, sim.now, { feedbackHandover: false });
  const after = decide(sim.machine, command, sim.now);
  if (!before.ok || !after.ok) throw new Error('refused');
  expect(before.machine.state.feedback[0]!.owner).toBe('omar');
  expect(before.effects.audits.map((a) => a.action)).toEqual(['participant.reassigned']);
  expect(after.machine.state.feedback[0]!.owner).toBe('otto');
  const post = {
    type: 'feedback',
    kind: 'feedback',
    text: 'Another',
    actor: { userId: 'fran' },
  } as Command;
  const quiet = decide(sim.machine, post, sim.now, { feedbackHandover: false });
  expect(quiet.ok && quiet.effects.notifications).toEqual([]);
});
