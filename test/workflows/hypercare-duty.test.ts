/**
 * Hypercare as a joint duty on a real server with second-scale timers (issue 13, item 2): the
 * project manager hears of the start and of each issue, an issue nobody answers escalates up
 * its own ladder, and one taken on and resolved stops its clock.
 */
import { listOpenActions, seedTemplate } from '../../db';
import {
  acknowledgeIssueUpdate,
  raiseIssueUpdate,
  resolveIssueUpdate,
  respondToIssueUpdate,
} from '../../workflows/messages';
import { jointParticipants, jointTemplate } from '../fixtures/joint-hypercare';
import { completeStage, passGate } from './drive';
import { setupProjects, type Project, type Projects } from './harness';
import { inboxOf } from './inbox';

const template = jointTemplate();
let projects: Projects;
beforeAll(async () => {
  projects = await setupProjects();
  // The record write reads the template version to keep each user's open actions.
  await seedTemplate(projects.db, template);
});
afterAll(async () => projects.stop());

async function inHypercare(): Promise<Project> {
  const project = await projects.start(template, jointParticipants);
  await completeStage(project, template, 'plan', 'pat');
  await passGate(project, template, 'approval', jointParticipants);
  await project.until((s) => s.current.includes('hypercare'), 10_000);
  return project;
}

/** A user's open actions in the project once they are `actions` (the record write is async). */
async function openActionsOf(user: string, projectId: string, actions: string[]) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const items = (await listOpenActions(projects.db, user, { limit: 100 })).items.filter(
      (a) => a.projectId === projectId,
    );
    if (JSON.stringify(items.map((a) => a.action)) === JSON.stringify(actions)) return items;
    if (Date.now() > deadline) throw new Error(`open actions of ${user}: ${JSON.stringify(items)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

it('tells the project team, escalates an unanswered issue up its own ladder', async () => {
  const project = await inHypercare();
  await inboxOf(projects.db, 'pat', project.id, (items) =>
    items.some((i) => i.subject.includes('hypercare "Hypercare" started')),
  );
  await project.act(raiseIssueUpdate, {
    actor: { userId: 'fran' },
    severity: 1,
    title: 'Tills freeze at noon',
  });
  await inboxOf(projects.db, 'pat', project.id, (items) =>
    items.some((i) => i.subject.includes('Tills freeze at noon')),
  );
  expect(await openActionsOf('pat', project.id, ['acknowledge-issue'])).toEqual([
    expect.objectContaining({ action: 'acknowledge-issue', itemId: 'issue-1' }),
  ]);
  const escalated = await project.until(
    (s) => (s.issues[0]?.overdue ?? []).includes('escalate:0'),
    20_000,
  );
  expect(escalated.issues[0]!.overdue).toEqual(['respond', 'resolve', 'escalate:0']);
  const sam = await inboxOf(projects.db, 'sam', project.id, (items) =>
    items.some((i) => i.kind === 'escalation'),
  );
  expect(sam.find((i) => i.kind === 'escalation')!.subject).toContain('Tills freeze at noon');
  const pat = await inboxOf(projects.db, 'pat', project.id, (items) =>
    items.some((i) => i.subject.includes('no response to issue')),
  );
  expect(pat.some((i) => i.kind === 'reminder')).toBe(true);
  await project.recordHistory('hypercare-issue-ladder');
});

it('stops the clock of an issue taken on, answered and resolved; refuses others with reasons', async () => {
  const project = await inHypercare();
  await project.act(raiseIssueUpdate, {
    actor: { userId: 'fran' },
    severity: 1,
    title: 'Receipt printer offline',
  });
  expect(
    await project.refused(acknowledgeIssueUpdate, { actor: { userId: 'sam' }, issueId: 'issue-1' }),
  ).toMatchObject({ code: 'not_responsible' });
  await project.act(acknowledgeIssueUpdate, {
    actor: { userId: 'olga' },
    issueId: 'issue-1',
    note: 'Checking the driver',
  });
  expect(
    await project.refused(acknowledgeIssueUpdate, { actor: { userId: 'pat' }, issueId: 'issue-1' }),
  ).toMatchObject({ code: 'already_acknowledged' });
  await project.act(respondToIssueUpdate, {
    actor: { userId: 'pat' },
    issueId: 'issue-1',
    text: 'Use the spare printer until noon',
  });
  await inboxOf(projects.db, 'fran', project.id, (items) =>
    items.some((i) => i.text.includes('Use the spare printer')),
  );
  // Taken on: the responders' inbox now holds it to resolve.
  const [pending] = await openActionsOf('omar', project.id, ['resolve-issue']);
  expect(pending).toMatchObject({ itemId: 'issue-1', dueAt: expect.any(Number) });
  await project.act(resolveIssueUpdate, { actor: { userId: 'omar' }, issueId: 'issue-1' });
  const resolved = await project.state();
  expect(resolved.deadlines.filter((d) => d.issueId)).toEqual([]);
  // Past when the ladder would have fired: nothing did.
  await new Promise((r) => setTimeout(r, 7_000));
  const later = await project.state();
  expect(later.issues[0]!.overdue).toBeUndefined();
  expect(later.timeline.some((e) => e.action.startsWith('issue.') && e.actor === 'system')).toBe(
    false,
  );
});
