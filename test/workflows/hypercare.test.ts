/**
 * Hypercare on a real server with second-scale timers: auto-extension and escalation while a
 * blocking issue is open at expiry; otherwise the exit sign-off request and the escalation
 * ladder, which stops once operations accept.
 */
import { raiseIssueUpdate, signoffUpdate } from '../../workflows/messages';
import type { Template } from '../../workflows/model';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { setupProjects, type Project, type Projects } from './harness';
import { passGate, completeStage } from './drive';
import { inboxOf } from './inbox';

let projects: Projects;
beforeAll(async () => {
  projects = await setupProjects();
});
afterAll(async () => projects.stop());

/** The mini template with hypercare of `seconds` and a second escalation level after 3 s. */
function withHypercare(seconds: number): Template {
  return {
    ...miniTemplate,
    nodes: miniTemplate.nodes.map((n) =>
      n.type === 'hypercare'
        ? {
            ...n,
            duration: `PT${seconds}S`,
            extendBy: 'PT3S',
            escalation: [
              { after: 'PT0S', notify: ['ops', 'pm'] },
              { after: 'PT3S', notify: ['steering'] },
            ],
          }
        : n,
    ),
  };
}

async function inHypercare(template: Template): Promise<Project> {
  const project = await projects.start(template, miniParticipants);
  await completeStage(project, template, 'plan', 'pat');
  await passGate(project, template, 'approval', { ...miniParticipants, pm: ['pat'] });
  return project;
}

it('extends itself when a blocking issue is open at expiry and escalates with the issue listed', async () => {
  const template = withHypercare(3);
  const project = await inHypercare(template);
  await project.act(raiseIssueUpdate, {
    actor: { userId: 'olga' },
    severity: 1,
    title: 'Invoices stuck in queue',
  });
  const extended = await project.until(
    (s) => s.nodes.hypercare?.hypercare?.extensions === 1,
    15_000,
  );
  expect(extended.nodes.hypercare!.hypercare!.phase).toBe('running');
  const escalations = await inboxOf(projects.db, 'omar', project.id, (items) =>
    items.some((i) => i.kind === 'escalation'),
  );
  const escalation = escalations.find((i) => i.kind === 'escalation')!;
  expect(escalation.text).toContain('Invoices stuck in queue');
  expect(
    await inboxOf(projects.db, 'pat', project.id, (items) =>
      items.some((i) => i.kind === 'escalation'),
    ),
  ).not.toHaveLength(0);
  await project.recordHistory('hypercare-extension');
});

it('asks for exit at expiry, fires level 2 after its offset and stops escalating once accepted', async () => {
  const template = withHypercare(2);
  const project = await inHypercare(template);
  await project.until((s) => s.nodes.hypercare?.hypercare?.phase === 'awaiting_exit', 15_000);
  const asked = await inboxOf(projects.db, 'olga', project.id, (items) =>
    items.some((i) => i.subject.includes('accept the end of hypercare')),
  );
  expect(asked.length).toBeGreaterThan(0);
  const level2 = await project.until(
    (s) => (s.nodes.hypercare?.hypercare?.escalated ?? []).includes(1),
    15_000,
  );
  expect(level2.nodes.hypercare!.hypercare!.escalated).toEqual([0, 1]);
  const samInbox = await inboxOf(projects.db, 'sam', project.id, (items) =>
    items.some((i) => i.kind === 'escalation'),
  );
  expect(samInbox.filter((i) => i.kind === 'escalation')).toHaveLength(1);
  await project.act(signoffUpdate, {
    actor: { userId: 'omar' },
    nodeId: 'hypercare',
    decision: 'go',
  });
  const after = await project.state();
  expect(after.current).toEqual(['pir']);
  expect(after.deadlines.filter((d) => d.nodeId === 'hypercare')).toEqual([]);
  await project.recordHistory('hypercare-exit');
});
