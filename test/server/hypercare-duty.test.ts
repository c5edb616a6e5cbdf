/**
 * Hypercare as a joint duty over HTTP on SQLite and PostgreSQL (issue 13, item 2): taking an
 * issue on and responding to it are actions of its responders, refused with reasons (403 not
 * a responder, 404 no such issue, 409 taken on already or resolved, 400 no text); a key
 * replays; the project's answer lists each issue with its age and its times, and an issue
 * nobody answers escalates by itself. Feedback (item 6) is answered the same way: acknowledged
 * with an owner, closed as acted on or declined with a response.
 */
import type { PendingActionView } from '../../server/contract';
import type { Template } from '../../workflows/model';
import { eachDatabase } from '../support/databases';
import { bodyOf, eventually, expectStatus, type ApiUser } from './drive-http';
import { startApiStack, type ApiStack } from './stack';
import {
  act,
  fieldErrors,
  FRONTLINE_ROLE,
  hypercareTemplate,
  projectAs,
  startWithFrontline,
  type People,
} from './trust-support';

/** Hypercare first, owned by pm, issues told to ops; a critical issue answered within 2 s. */
function dutyTemplate(): Template {
  const base = hypercareTemplate();
  return {
    ...base,
    roles: [...base.roles, FRONTLINE_ROLE],
    nodes: base.nodes.map((n) =>
      n.type === 'hypercare'
        ? {
            ...n,
            owner: 'pm',
            notifyIssues: ['ops'],
            issueSla: [
              {
                severity: 1,
                respond: 'PT2S',
                resolve: 'PT4S',
                escalate: [{ after: 'PT0S', notify: ['pm'] }],
              },
              { severity: 3, respond: 'P1D', resolve: 'P5D' },
            ],
          }
        : n,
    ),
  };
}

describe.each(eachDatabase())('hypercare duty on $name', (factory) => {
  let api: ApiStack;
  let p: People;
  let fran: ApiUser;
  let id: string;

  beforeAll(async () => {
    api = await startApiStack(factory);
    ({ p, fran, id } = await startWithFrontline(api, 'duty', dutyTemplate()));
  });
  afterAll(async () => api.stop());

  const view = () => projectAs(api, p.pat, id);

  it('takes an issue on and answers it, refusing with reasons', async () => {
    const raised = await act(api, fran, id, '/issues', { severity: 3, title: 'Receipt typo' });
    const issueId = expectStatus(raised, 201, 'raise').body.id as string;
    const path = `/issues/${issueId}`;
    // In the owner's to-do list: their role by its name in the template, the key kept, and the
    // issue's severity (minor: it does not block the exit, the default blocking critical and
    // major ones).
    const inbox = async () =>
      bodyOf<{ items: PendingActionView[] }>(
        await api.call('GET', '/api/inbox', { token: p.pat.token }),
        200,
        'inbox',
      ).items.filter((a) => a.projectId === id && a.itemId === issueId);
    expect(await eventually('the issue in the inbox', inbox, (items) => items.length > 0)).toEqual([
      {
        projectId: id,
        projectName: expect.any(String),
        nodeId: 'hypercare',
        nodeName: 'Hypercare',
        action: 'acknowledge-issue',
        roles: ['pm'],
        roleNames: ['Project manager'],
        dueAt: expect.any(Number),
        itemId: issueId,
        detail: 'Receipt typo',
        issue: { severity: 3, blocksExit: false },
      },
    ]);

    const notMine = await act(api, fran, id, `${path}/acknowledge`, {});
    expect(notMine.status).toBe(403);
    expect(notMine.headers.get('content-type')).toContain('application/problem+json');
    expect(notMine.body.code).toBe('not_responsible');
    const unknown = await act(api, p.pat, id, '/issues/issue-99/acknowledge', {});
    expect([unknown.status, unknown.body.code]).toEqual([404, 'unknown_issue']);
    const empty = await act(api, p.olga, id, `${path}/respond`, { text: '   ' });
    expect(empty.status).toBe(400);
    expect(fieldErrors(empty)).toEqual([expect.stringMatching(/^body\.text: /)]);

    const taken = await act(api, p.pat, id, `${path}/acknowledge`, {
      note: 'Checking the template',
      idempotencyKey: 'take-1',
    });
    expect(expectStatus(taken, 200, 'acknowledge').body).toMatchObject({ id: issueId });
    const again = await act(api, p.pat, id, `${path}/acknowledge`, {
      note: 'Checking the template',
      idempotencyKey: 'take-1',
    });
    expect(expectStatus(again, 200, 'replayed').body).toMatchObject({ id: issueId });
    const twice = await act(api, p.olga, id, `${path}/acknowledge`, {});
    expect([twice.status, twice.body.code]).toEqual([409, 'already_acknowledged']);

    const answer = 'Fixed in the next print run';
    expectStatus(await act(api, p.olga, id, `${path}/respond`, { text: answer }), 200, 'respond');
    const state = await view();
    expect(state.issues.find((i) => i.id === issueId)).toMatchObject({
      acknowledgedBy: p.pat.id,
      respondedBy: p.olga.id,
      response: answer,
    });
    const standing = state.issueStandings.find((r) => r.id === issueId)!;
    expect(standing).toMatchObject({ status: 'open', responseLate: false, resolutionLate: false });
    expect(standing.ageMs).toBeGreaterThanOrEqual(0);
    expect(standing.resolveBy! - standing.raisedAt).toBe(5 * 24 * 3600 * 1000);

    expectStatus(await act(api, fran, id, `${path}/resolve`, {}), 200, 'resolve');
    const late = await act(api, p.olga, id, `${path}/respond`, { text: 'More' });
    expect([late.status, late.body.code]).toEqual([409, 'already_resolved']);
  });

  it('lists an unanswered critical issue as late and escalates it to the owner', async () => {
    const raised = await act(api, fran, id, '/issues', { severity: 1, title: 'Tills freeze' });
    const issueId = expectStatus(raised, 201, 'raise').body.id as string;
    const late = await eventually(
      'the issue past its response time',
      view,
      (s) => s.issueStandings.find((r) => r.id === issueId)?.responseLate === true,
    );
    expect(late.issueStandings.find((r) => r.id === issueId)).toMatchObject({
      status: 'open',
      respondBy: expect.any(Number),
    });
    await eventually(
      "the owner's escalation",
      async () =>
        bodyOf<{ items: { kind: string; subject: string }[] }>(
          await api.call('GET', '/api/inbox/notifications', { token: p.pat.token }),
          200,
          'notifications',
        ).items,
      (items) => items.some((n) => n.kind === 'escalation' && n.subject.includes('Tills freeze')),
    );
  });
  it('closes the loop on feedback: acknowledged, acted on, refused with reasons', async () => {
    const posted = await act(api, fran, id, '/feedback', { kind: 'feedback', text: 'Too slow' });
    const feedbackId = expectStatus(posted, 201, 'post').body.id as string;
    const path = `/feedback/${feedbackId}/status`;

    const notMine = await act(api, fran, id, path, { status: 'acknowledged' });
    expect([notMine.status, notMine.body.code]).toEqual([403, 'not_responsible']);
    const unknown = await act(api, p.pat, id, '/feedback/feedback-99/status', {
      status: 'acknowledged',
    });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'unknown_feedback']);
    const silent = await act(api, p.pat, id, path, { status: 'declined' });
    expect([silent.status, silent.body.code]).toEqual([422, 'invalid_input']);
    expect(JSON.stringify(silent.body)).toContain('response');
    const stranger = await act(api, p.pat, id, path, { status: 'acknowledged', owner: 'nobody' });
    expect([stranger.status, stranger.body.code]).toEqual([422, 'invalid_participants']);

    const ack = { status: 'acknowledged', owner: p.olga.id };
    expectStatus(await act(api, p.pat, id, path, ack), 200, 'acknowledge');
    const twice = await act(api, p.pat, id, path, { status: 'acknowledged' });
    expect([twice.status, twice.body.code]).toEqual([409, 'already_acknowledged']);
    const done = { status: 'acted_on', response: 'Faster tills ordered' };
    expectStatus(await act(api, p.olga, id, path, done), 200, 'acted on');
    const closed = await act(api, p.pat, id, path, { status: 'declined', response: 'No' });
    expect([closed.status, closed.body.code]).toEqual([409, 'feedback_closed']);

    const entry = (await view()).feedback.find((f) => f.id === feedbackId);
    expect(entry).toMatchObject({
      status: 'acted_on',
      owner: p.olga.id,
      statusBy: p.olga.id,
      response: 'Faster tills ordered',
      text: 'Too slow',
    });
  });
});
