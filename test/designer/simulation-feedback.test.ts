/**
 * The simulation walks the feedback loop (issue 13, item 6) on the built-in template: frontline
 * staff post, the stewards of the node it was posted at acknowledge, its owner acts on it or
 * declines it, and the PIR's list shows what was acted on, with what was done.
 */
import { availableActions } from '../../designer/src/logic/sim-actions';
import { simFeedback } from '../../designer/src/logic/sim-feedback';
import { startSimulation, type SimSession } from '../../designer/src/logic/simulation';
import { pendingActions } from '../../workflows/lifecycle';
import { opsIntegratedDelivery } from '../../workflows/model';
import { runAction, walkTo } from './sim-run';

const actors = (session: SimSession, id: string) =>
  availableActions(session)
    .find((a) => a.id === id)
    ?.steps.map((s) => s.actor);

it('posts as frontline staff, acknowledges as a steward and acts on it as its owner', () => {
  let session = startSimulation(opsIntegratedDelivery);
  const text = 'Night shift was never trained';
  session = runAction(session, 'post-feedback', { feedback: { text } });
  const [entry] = session.machine.state.feedback;
  expect(entry).toMatchObject({ id: 'feedback-1', by: 'frontline-1', nodeId: 'inception' });
  // Open: the inception gate's owner (the PM) answers it, as the inbox would have it.
  expect(actors(session, 'acknowledged-feedback-1')).toEqual(['pm-1']);
  expect(availableActions(session).map((a) => a.id)).toEqual(
    expect.arrayContaining(['acted-on-feedback-1', 'declined-feedback-1']),
  );
  session = runAction(session, 'acknowledged-feedback-1');
  expect(session.machine.state.feedback[0]).toMatchObject({
    status: 'acknowledged',
    owner: 'pm-1',
  });
  expect(availableActions(session).map((a) => a.id)).not.toContain('acknowledged-feedback-1');
  expect(pendingActions(session.machine.state, opsIntegratedDelivery, 'pm-1')).toContainEqual(
    expect.objectContaining({ action: 'answer-feedback', itemId: 'feedback-1' }),
  );
  session = runAction(session, 'acted-on-feedback-1', {
    feedback: { response: 'Night-shift training added to the plan' },
  });
  expect(session.machine.state.feedback[0]).toMatchObject({ status: 'acted_on' });
  expect(availableActions(session).map((a) => a.kind)).not.toContain('act-on-feedback');
  // The poster heard both answers.
  const told = session.events.flatMap((e) =>
    e.kind === 'notification' && e.notification.recipients.includes('frontline-1')
      ? [e.notification.subject]
      : [],
  );
  expect(told).toEqual([
    expect.stringContaining('your feedback was acknowledged'),
    expect.stringContaining('your feedback was acted on'),
  ]);
  expect(simFeedback(session)).toEqual({
    items: [
      expect.objectContaining({
        id: 'feedback-1',
        kind: 'feedback',
        text,
        by: 'frontline-1',
        status: 'acted_on',
        owner: 'pm-1',
        statusBy: 'pm-1',
        response: 'Night-shift training added to the plan',
      }),
    ],
    actedOn: 1,
    feedback: 1,
  });
});

it('declines a lesson, posts as any participant, and the PIR counts only what was acted on', () => {
  let session = startSimulation(opsIntegratedDelivery);
  session = walkTo(session, 'pir');
  expect(session.machine.state.current).toEqual(['pir']);
  session = runAction(session, 'post-feedback', {
    feedback: { by: 'support-1', kind: 'lesson', text: 'Involve support at inception' },
  });
  session = runAction(session, 'post-feedback', { feedback: { text: 'Reports are late' } });
  const [lesson, item] = session.machine.state.feedback;
  expect(lesson).toMatchObject({ kind: 'lesson', by: 'support-1', nodeId: 'pir' });
  // The PIR's stewards (the steering committee owns it) answer at the review.
  expect(actors(session, `declined-${lesson!.id}`)).toEqual(['steering-1']);
  session = runAction(session, `declined-${lesson!.id}`, {
    feedback: { response: 'Already done' },
  });
  session = runAction(session, `acted-on-${item!.id}`, { feedback: { response: 'Report moved' } });
  const pir = simFeedback(session);
  expect(pir.items.map((f) => [f.id, f.status, f.response])).toEqual([
    [lesson!.id, 'declined', 'Already done'],
    [item!.id, 'acted_on', 'Report moved'],
  ]);
  expect([pir.actedOn, pir.feedback]).toEqual([1, 1]);
  // Somebody not taking part is never the poster.
  expect(
    availableActions(session, { feedback: { by: 'stranger' } }).map((a) => a.id),
  ).not.toContain('post-feedback');
});
