/**
 * A `migrate` Update carrying `notAfter` (a bulk migration's attempt deadline) moves the
 * project only until then (patch "migration-deadline"): past it the Update is refused with
 * `migration_expired`, leaving no trace; within it the project migrates as before.
 */
import { migrateUpdate } from '../../workflows/messages';
import { MIGRATION_DEADLINE } from '../../workflows/project-lifecycle';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { patchesOf, setupProjects, PMO, type Project, type Projects } from './harness';

let projects: Projects;
beforeAll(async () => {
  projects = await setupProjects();
});
afterAll(async () => projects.stop());

const v2 = { ...miniTemplate, description: 'v2: clearer wording' };
const migrate = (notAfter?: string) => ({
  actor: { userId: PMO, pmo: true },
  version: 2,
  template: v2,
  idempotencyKey: 'job-1:project',
  ...(notAfter !== undefined && { notAfter }),
});

const acceptedUpdates = async (project: Project) =>
  ((await project.handle.fetchHistory()).events ?? []).filter(
    (e) => e.workflowExecutionUpdateAcceptedEventAttributes,
  ).length;

it('refuses a migration past its notAfter and applies one within it', async () => {
  const project = await projects.start(miniTemplate, miniParticipants);
  const late = new Date(Date.now() - 1_000).toISOString();
  const refused = await project.refused(migrateUpdate, migrate(late));
  expect(refused).toMatchObject({ code: 'migration_expired', path: ['notAfter'] });
  expect(refused.message).toContain(late);
  expect((await project.state()).template.version).toBe(1);
  // Refused by the validator: nothing of it in the history, and the key stays free.
  expect(await acceptedUpdates(project)).toBe(0);

  const inTime = new Date(Date.now() + 60_000).toISOString();
  const moved = await project.act(migrateUpdate, migrate(inTime));
  expect(moved.current).toEqual(['plan']);
  expect((await project.state()).template).toEqual({ key: 'mini', version: 2 });
  expect(await patchesOf(project)).toContain(MIGRATION_DEADLINE);
  expect(await acceptedUpdates(project)).toBe(1);

  // Once applied, the same key answers the first result again, whatever its deadline.
  expect(await project.act(migrateUpdate, migrate(late))).toMatchObject({ replayed: true });
  expect((await project.state()).template.version).toBe(2);
  await project.recordHistory('migration-deadline');
});
