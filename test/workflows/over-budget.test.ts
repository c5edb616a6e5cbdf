/**
 * The over-budget alert (patch "over-budget-alert", workflows/lifecycle/budget.ts) on a real
 * server, with the real channels: the in-app inbox in the database, a local webhook listener and
 * a local SMTP server. A cost that crosses the budget alerts the PM and the PMO once, with an
 * audit entry; a second cost still over says nothing; back within (the budget raised) and over
 * again (the budget lowered) alerts again. Recorded as the `over-budget-alert` history.
 */
import type { WebhookPayload } from '../../activities/format';
import { listAudit, listInbox } from '../../db';
import { cancelUpdate, recordCostUpdate, setMetricsUpdate } from '../../workflows/messages';
import { OVER_BUDGET_ALERT } from '../../workflows/lifecycle';
import { miniParticipants, miniTemplate as template } from '../fixtures/mini-template';
import { channelStack } from './channels';
import { patchesOf, PMO } from './harness';

const PUBLIC_URL = 'https://gatehouse.example.test';
const channels = channelStack({ publicUrl: PUBLIC_URL });

/** `user`'s budget alerts of this project (in-app inbox), once `count` of them are in (10 s). */
async function budgetAlerts(user: string, projectId: string, count: number) {
  for (let i = 0; i < 100; i++) {
    const page = await listInbox(channels.projects.db, user, { projectId, kind: 'budget-alert' });
    if (page.items.length >= count) return page.items;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${user} did not get ${count} budget alerts`);
}

/** The webhook posts of this project's budget alerts: who each was for, and its link. */
const hooksOf = (projectId: string) =>
  channels.hook.received
    .map((r) => r.body as WebhookPayload)
    .filter((b) => b.kind === 'budget-alert' && b.project.id === projectId)
    .map((b) => ({ to: b.recipients.map((r) => r.id).sort(), link: b.link }));

it('alerts the PM and the PMO once per crossing of the budget, on every channel', async () => {
  const project = await channels.projects.start(template, miniParticipants, {
    name: 'Till rollout',
  });
  await project.act(setMetricsUpdate, {
    actor: { userId: 'pat' },
    delivery: { targetDate: '2030-01-31', budget: 100_000, currency: 'EUR' },
  });
  await project.act(recordCostUpdate, { actor: { userId: 'pat' }, spent: 90_000 });
  // The PMO's cost takes it over: the PM hears of it, the PMO (who recorded it) does not.
  await project.act(recordCostUpdate, { actor: { userId: PMO, pmo: true }, spent: 104_000 });
  const [first] = await budgetAlerts('pat', project.id, 1);
  expect(first).toMatchObject({ subject: 'Till rollout: over budget' });
  expect(first!.text).toContain(
    '104,000 EUR, is over the budget of 100,000 EUR (4 % over) since pmo-1',
  );

  // Still over: no new alert. Back within (budget raised), then over again (lowered): alerted.
  await project.act(recordCostUpdate, { actor: { userId: 'pat' }, spent: 110_000 });
  await project.act(setMetricsUpdate, {
    actor: { userId: 'olga' },
    delivery: { budget: 120_000, currency: 'EUR' },
  });
  await project.act(setMetricsUpdate, {
    actor: { userId: 'olga' },
    delivery: { budget: 105_000, currency: 'EUR' },
  });
  expect((await project.state()).overBudgetAlertedAt).toBeDefined();
  await project.act(cancelUpdate, { actor: { userId: PMO, pmo: true }, reason: 'test over' });
  // The workflow ends once its notifications went out on every channel.
  await project.handle.result();

  const audit = await listAudit(channels.projects.db, project.id, { limit: 1000 });
  expect(audit.filter((e) => e.action.endsWith('-budget'))).toEqual([
    expect.objectContaining({
      action: 'delivery.over-budget',
      actor: PMO,
      detail: { spent: 104_000, budget: 100_000, currency: 'EUR', variance: 0.04 },
    }),
    expect.objectContaining({ action: 'delivery.within-budget', actor: 'olga' }),
    expect.objectContaining({
      action: 'delivery.over-budget',
      actor: 'olga',
      detail: { spent: 110_000, budget: 105_000, currency: 'EUR', variance: 0.048 },
    }),
  ]);
  expect(await budgetAlerts('pat', project.id, 2)).toHaveLength(2);
  const pmo = await budgetAlerts(PMO, project.id, 1);
  expect(pmo).toHaveLength(1);
  expect(pmo[0]!.text).toContain('since olga set the budget');
  expect(await budgetAlerts('olga', project.id, 0)).toEqual([]);
  const link = `${PUBLIC_URL}/#/projects/${project.id}/benefits`;
  expect(hooksOf(project.id)).toEqual([
    { to: ['pat'], link },
    { to: ['pat', PMO].sort(), link },
  ]);
  const mails = channels.smtp.received.filter((m) =>
    m.headers.get('subject')?.endsWith('Till rollout: over budget'),
  );
  expect(mails.map((m) => m.to).sort()).toEqual([
    ['pat@example.test'],
    ['pat@example.test'],
    [`${PMO}@example.test`],
  ]);
  expect(await patchesOf(project)).toContain(OVER_BUDGET_ALERT);
  await project.recordHistory('over-budget-alert');
});
