/**
 * What operations receive when hypercare expires and escalates, on the real channels (a local
 * SMTP server and webhook listener) and in their to-do list, as found walking the app as its
 * operations users: e-mails and chat messages named every moment as an ISO instant
 * ("runs until 2026-12-06T02:04:34.947Z"), and the exit sign-off waited in the to-do list with
 * no due date, last, while its escalations climbed.
 */
import { simpleParser } from 'mailparser';
import type { WebhookPayload } from '../../activities/format';
import { pendingActions } from '../../workflows/lifecycle';
import { utcInWords } from '../../workflows/model/instants';
import type { Template } from '../../workflows/model';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { completeStage, passGate } from './drive';
import { channelStack, eventually } from './channels';

const PUBLIC_URL = 'https://gatehouse.example.test';
/** An ISO 8601 instant, as the workflow writes moments into a notification's text. */
const ISO_INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

const channels = channelStack({ publicUrl: PUBLIC_URL });

/** The mini template with a 2 s hypercare whose first escalation fires at expiry. */
const template: Template = {
  ...miniTemplate,
  nodes: miniTemplate.nodes.map((n) =>
    n.type === 'hypercare' ? { ...n, duration: 'PT2S', extendBy: 'PT3S' } : n,
  ),
};

it('names hypercare moments in words on e-mail and webhook, and lists the exit as overdue', async () => {
  const project = await channels.projects.start(template, miniParticipants, {
    name: 'Till rollout',
  });
  await completeStage(project, template, 'plan', 'pat');
  await passGate(project, template, 'approval', miniParticipants);
  const expired = await project.until(
    (s) => (s.nodes.hypercare?.hypercare?.escalated ?? []).includes(0),
    15_000,
  );
  const hc = expired.nodes.hypercare!.hypercare!;
  // Every message this sink took is this project's (one project in this file).
  const mails = async () => Promise.all(channels.smtp.received.map((m) => simpleParser(m.raw)));
  const started = await eventually(
    'the start e-mail',
    channels.mailTo('olga@example.test', 'started'),
  );
  expect(started.text).toContain(`Hypercare runs until ${utcInWords(hc.expiresAt)}.`);
  const escalated = await eventually(
    'the escalation e-mail',
    channels.mailTo('pat@example.test', 'escalation 1'),
  );
  expect(escalated.text).toContain(`expired ${utcInWords(hc.expiredAt!)} and its exit`);

  // No e-mail names a moment as an ISO instant, in its subject or its text.
  const all = await mails();
  expect(all.length).toBeGreaterThanOrEqual(4);
  for (const mail of all) {
    expect(mail.subject).not.toMatch(ISO_INSTANT);
    expect(mail.text).not.toMatch(ISO_INSTANT);
  }

  // Nor a webhook message: its text, its blocks or its subject (`at` stays the machine's).
  const posts = await eventually('the escalation webhook', () => {
    const mine = channels.hook.received
      .map((r) => r.body as WebhookPayload)
      .filter((b) => b.project.id === project.id);
    return mine.some((b) => b.kind === 'escalation') ? mine : undefined;
  });
  for (const post of posts) {
    const { at, ...shown } = post;
    expect(JSON.stringify(shown)).not.toMatch(ISO_INSTANT);
    expect(new Date(at).toISOString()).toBe(at);
  }
  const escalation = posts.find((b) => b.kind === 'escalation')!;
  expect(escalation.text).toContain(`expired ${utcInWords(hc.expiredAt!)}`);

  // An exit signer's to-do (what db/open-actions.ts stores for Olga): accepting the end is
  // due since the expiry, so it shows as overdue and comes first.
  expect(pendingActions(await project.state(), template, 'olga')).toEqual([
    expect.objectContaining({
      action: 'accept-hypercare',
      nodeId: 'hypercare',
      dueAt: hc.expiredAt,
    }),
  ]);
});
