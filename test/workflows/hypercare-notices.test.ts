/**
 * What hypercare tells people, on a real server and the real channels (a local SMTP server and
 * webhook listener), found walking the app as operations and approvers: resolving an issue told
 * nobody (patch "issue-resolved-notice"), and the steering committee's escalation of an
 * unaccepted exit named nobody to act (patch "hypercare-exit-notices"). Both now name people
 * by name in the inbox, by e-mail and by webhook.
 */
import { foldName } from '../../db/name-fold';
import type { WebhookPayload } from '../../activities/format';
import {
  acknowledgeIssueUpdate,
  raiseIssueUpdate,
  resolveIssueUpdate,
  signoffUpdate,
} from '../../workflows/messages';
import { HYPERCARE_EXIT_NOTICES, ISSUE_RESOLVED_NOTICE } from '../../workflows/lifecycle';
import type { Template } from '../../workflows/model';
import { jointParticipants, jointTemplate } from '../fixtures/joint-hypercare';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { completeStage, passGate } from './drive';
import { channelStack, eventually } from './channels';
import { patchesOf, type Project } from './harness';
import { inboxOf } from './inbox';

const channels = channelStack();

const NAMES: Record<string, string> = {
  fran: 'Fran Frontline',
  olga: 'Olga Ops',
  omar: 'Omar Operations',
};

/** The harness names users by their ids: these get the names people have. */
async function named(project: Project): Promise<Project> {
  for (const [id, name] of Object.entries(NAMES)) {
    await channels.projects.db
      .updateTable('users')
      .set({ name, name_folded: foldName(name) })
      .where('id', '=', id)
      .execute();
  }
  return project;
}

it('tells whoever raised an issue and whoever took it on that it was resolved, and by whom', async () => {
  const template = jointTemplate();
  const project = await named(await channels.projects.start(template, jointParticipants));
  await completeStage(project, template, 'plan', 'pat');
  await passGate(project, template, 'approval', jointParticipants);
  await project.until((s) => s.current.includes('hypercare'), 10_000);
  await project.act(raiseIssueUpdate, {
    actor: { userId: 'fran' },
    severity: 3,
    title: 'Label typo',
  });
  await project.act(acknowledgeIssueUpdate, { actor: { userId: 'olga' }, issueId: 'issue-1' });
  await project.act(resolveIssueUpdate, {
    actor: { userId: 'omar' },
    issueId: 'issue-1',
    note: 'Fixed',
  });
  for (const user of ['fran', 'olga']) {
    const items = await inboxOf(channels.projects.db, user, project.id, (all) =>
      all.some((i) => i.subject.includes('issue resolved: Label typo')),
    );
    const told = items.find((i) => i.subject.includes('issue resolved'))!;
    expect(told.text).toContain(
      'issue "Label typo" raised by Fran Frontline was resolved by Omar Operations.\nFixed',
    );
  }
  const mail = await eventually(
    'the e-mail',
    channels.mailTo('fran@example.test', 'issue resolved'),
  );
  expect(mail.text).toContain('was resolved by Omar Operations');
  expect(await patchesOf(project)).toContain(ISSUE_RESOLVED_NOTICE);
  await project.recordHistory('issue-resolved-notice');
});

/** The mini template with a 2 s hypercare; steering hears 2 s after its expiry. */
const template: Template = {
  ...miniTemplate,
  nodes: miniTemplate.nodes.map((n) =>
    n.type === 'hypercare'
      ? {
          ...n,
          duration: 'PT2S',
          extendBy: 'P7D',
          escalation: [
            { after: 'PT0S', notify: ['ops', 'pm'] },
            { after: 'PT2S', notify: ['steering'] },
          ],
        }
      : n,
  ),
};

it('tells the steering committee whose acceptance of the exit is missing and who can act', async () => {
  const project = await named(await channels.projects.start(template, miniParticipants));
  await completeStage(project, template, 'plan', 'pat');
  await passGate(project, template, 'approval', miniParticipants);
  await project.until((s) => (s.nodes.hypercare?.hypercare?.escalated ?? []).includes(1), 15_000);
  const waiting = '- Olga Ops or Omar Operations (Operations lead)';
  const canAct =
    'Olga Ops or Omar Operations can accept the exit there (sign it off) or extend ' +
    'hypercare by 7 days with a reason (1 extension left).';
  const items = await inboxOf(channels.projects.db, 'sam', project.id, (all) =>
    all.some((i) => i.kind === 'escalation'),
  );
  const escalation = items.find((i) => i.kind === 'escalation')!;
  expect(escalation.text).toContain(`Waiting for acceptance from:\n${waiting}`);
  expect(escalation.text).toContain(canAct);
  const post = await eventually('the webhook', () =>
    channels.hook.received
      .map((r) => r.body as WebhookPayload)
      .find((b) => b.project.id === project.id && b.subject.includes('escalation 2')),
  );
  expect(post.text).toContain(waiting);
  const mail = await eventually('the e-mail', channels.mailTo('sam@example.test', 'escalation 2'));
  expect(mail.text).toContain(canAct);
  expect(await patchesOf(project)).toContain(HYPERCARE_EXIT_NOTICES);
  await project.act(signoffUpdate, {
    actor: { userId: 'omar' },
    nodeId: 'hypercare',
    decision: 'go',
  });
  await project.until((s) => s.current.includes('pir'));
  await project.recordHistory('hypercare-exit-notices');
});
