/**
 * A project's audit trail follows the project. The project page answers from the read model
 * at once (server/routes/project-access.ts), so it can open before the worker has recorded
 * anything: the trail then reads empty, and fills in as the worker records, as the timeline
 * beside it does, without a reload. Real app, real browser; the worker starts only after the
 * page is open.
 */
import { createActivities } from '../../activities';
import { migrateThroughWorker } from '../../worker/project-updates';
import { startTestWorker, type RunningTestWorker } from '../support/temporal';
import { openPage } from './support/browser';
import { signInWithToken, startBrowserApp, startDemoProject, type BrowserApp } from './support/app';

let app: BrowserApp;
let worker: RunningTestWorker | undefined;
beforeAll(async () => {
  app = await startBrowserApp({}, { worker: false });
});
afterAll(async () => {
  await worker?.stop();
  await app?.stop();
});

it('fills the audit trail in as the worker records, without a reload', async () => {
  const id = await startDemoProject(app, 'Recorded later');
  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.pmo);
  await page.goto(`/#/projects/${id}`);
  await page.getByTestId('project-tab-activity').click();
  // Nothing recorded yet: the API listed the project, no worker has run its workflow.
  await page.getByText('The audit trail is empty').waitFor();

  worker = await startTestWorker({
    taskQueue: app.stack.taskQueue,
    activities: createActivities({ db: app.stack.db, migrateProject: migrateThroughWorker }),
  });
  await page.locator('[data-testid="audit-row"][data-action="project.started"]').waitFor();
  expect(errors).toEqual([]);
});
