/**
 * `POST /api/templates/:key/migrations` and its job over HTTP (issue 15): the projects an impact
 * analysis found unchanged migrated in one action by a durable workflow, each by its own
 * audited Update; a project that refuses listed with why; bad requests refused naming the
 * field with nothing written.
 */
import type { ImpactView, MigrationView } from '../../server/contract';
import { createMigrationJob } from '../../db';
import { BULK_MIGRATION_WORKFLOW, bulkMigrationWorkflowId } from '../../workflows/messages';
import type { BulkMigrationInput } from '../../workflows/model';
import { renamed, withDeliverable } from '../fixtures/impact-drafts';
import { miniTemplate } from '../fixtures/mini-template';
import { eachDatabase } from '../support/databases';
import { recordHistory } from '../workflows/harness';
import { connectTestTemporal } from '../support/temporal';
import { bodyOf, eventually, expectStatus } from './drive-http';
import { startApiStack, type ApiStack, type TestUser } from './stack';

const template = { ...miniTemplate, key: 'mini-bulk' };
const other = { ...miniTemplate, key: 'mini-bulk-other' };
const participants = { pm: ['pat'], ops: ['olga', 'omar'], steering: ['sam'] };
const criteria = { 'support-ready': true, training: 8, comms: 6 };

describe.each(eachDatabase())('bulk migration over HTTP on $name', (factory) => {
  let api: ApiStack;
  let pmo: TestUser;
  const tokens: Record<string, string> = {};
  /** Five projects of `template`: the first two past the approval gate, the rest at plan. */
  const ids: string[] = [];
  let otherId: string;
  let cancelledId: string;

  const call = (method: string, path: string, body?: unknown, token = pmo.token) =>
    api.call(method, path, { token, ...(body !== undefined && { body }) });
  const publish = async (t: typeof template) => {
    expectStatus(await call('PUT', `/api/templates/${t.key}/draft`, t), 200, 'draft');
    expectStatus(await call('POST', `/api/templates/${t.key}/publish`), 201, 'publish');
  };
  const start = async (key: string, name: string) =>
    bodyOf<{ id: string }>(
      await call('POST', '/api/projects', { name, template: key, participants }),
      201,
      'start',
    ).id;
  const migrations = `/api/templates/${template.key}/migrations`;
  const migrate = (body: unknown, token = pmo.token) => call('POST', migrations, body, token);
  /** Polls the job until nothing is pending. */
  const finished = (id: string) =>
    eventually(
      'the migration job finishes',
      async () => bodyOf<MigrationView>(await call('GET', `${migrations}/${id}`), 200, 'poll'),
      (view) => view.job.status === 'done',
      60_000,
    );
  const migratedAudits = async (id: string) =>
    api.db
      .selectFrom('audit_entries')
      .select(['detail', 'actor'])
      .where('project_id', '=', id)
      .where('action', '=', 'project.migrated')
      .execute();
  const versionOf = async (id: string) =>
    bodyOf<{ template: { version: number } }>(await call('GET', `/api/projects/${id}`), 200, 'get')
      .template.version;
  const analyse = async (body: unknown): Promise<ImpactView> => {
    let view = bodyOf<ImpactView>(
      await call('POST', `/api/templates/${template.key}/impact`, body),
      202,
      'analyse',
    );
    while (view.job.status === 'running') {
      const path = `/api/templates/${template.key}/impact/${view.job.id}`;
      view = bodyOf<ImpactView>(await call('GET', path), 200, 'poll');
    }
    return view;
  };

  beforeAll(async () => {
    api = await startApiStack(factory, { impactBatch: 2 });
    pmo = await api.user('paula', { pmo: true });
    for (const id of ['pat', 'olga', 'omar', 'sam']) tokens[id] = (await api.user(id)).token;
    await publish(template);
    await publish(other);
    for (let i = 0; i < 5; i++) ids.push(await start(template.key, `bulk ${i}`));
    otherId = await start(other.key, 'elsewhere');
    cancelledId = await start(template.key, 'cancelled');
    expectStatus(
      await call('POST', `/api/projects/${cancelledId}/cancel`, { reason: 'Not needed' }),
      200,
      'cancel',
    );
    for (const id of ids.slice(0, 2)) {
      const act = async (user: string, path: string, body: unknown) =>
        expectStatus(
          await call('POST', `/api/projects/${id}${path}`, body, tokens[user]),
          200,
          `${user} ${path}`,
        );
      await act('pat', '/nodes/plan/deliverables/runbook', { text: 'runbook' });
      await act('pat', '/nodes/plan/complete', {});
      await act('pat', '/nodes/approval/deliverables/charter', { text: 'charter' });
      for (const user of ['pat', 'olga', 'omar']) {
        await act(user, '/nodes/approval/signoffs', { decision: 'go', criteria });
      }
    }
  }, 90_000);
  afterAll(async () => api?.stop());

  it('refuses what it cannot do, naming the field, and writes no job', async () => {
    const jobs = async () =>
      (await api.db.selectFrom('migration_jobs').select('id').execute()).length;
    const before = await jobs();
    const draft = withDeliverable(template, 'approval');
    const running = bodyOf<ImpactView>(
      await call('POST', `/api/templates/${template.key}/impact`, { template: draft }),
      202,
      'analyse',
    );
    const refusal = async (body: unknown, status: number, code: string, path: unknown[]) =>
      expect(expectStatus(await migrate(body), status, code).body).toMatchObject({
        code,
        errors: [expect.objectContaining({ path, code })],
      });
    await refusal({ impactJob: running.job.id }, 409, 'impact_running', ['body', 'impactJob']);
    const done = await analyse({ template: draft });
    await refusal({ impactJob: done.job.id }, 409, 'version_not_published', ['body', 'impactJob']);
    await refusal({ version: 9, projectIds: [ids[2]] }, 422, 'unknown_version', [
      'body',
      'version',
    ]);
    await refusal({ version: 1, projectIds: [ids[2], 'nobody'] }, 422, 'unknown_project', [
      'body',
      'projectIds',
      1,
    ]);
    await refusal({ version: 1, projectIds: [ids[2], ids[2]] }, 422, 'duplicate_project', [
      'body',
      'projectIds',
      1,
    ]);
    await refusal({ version: 1, projectIds: [otherId] }, 409, 'wrong_template', [
      'body',
      'projectIds',
      0,
    ]);
    await refusal({ version: 1, projectIds: [cancelledId] }, 409, 'project_closed', [
      'body',
      'projectIds',
      0,
    ]);
    expect(
      expectStatus(await migrate({ impactJob: 'no-such-job' }), 404, 'job').body,
    ).toMatchObject({ code: 'not_found' });
    expectStatus(
      await call('POST', '/api/templates/never-published/migrations', {
        version: 1,
        projectIds: [ids[2]],
      }),
      404,
      'template without versions',
    );
    expectStatus(await migrate({ version: 1, projectIds: [ids[2]] }, tokens.pat), 403, 'not PMO');
    expectStatus(await call('GET', `${migrations}/no-such-job`), 404, 'unknown job');
    expect(await jobs()).toBe(before);
  });

  it('migrates the projects an analysis found unchanged, each audited once, failures listed', async () => {
    const draft = withDeliverable(template, 'approval');
    const impact = await analyse({ template: draft });
    expect(impact.summary).toEqual({ unchanged: 3, differs: 2, blocked: 0 });
    await publish(draft);
    // Named from the analysis: a project it found `differs` may be chosen, not a blocked one.
    const started = bodyOf<MigrationView>(await migrate({ impactJob: impact.job.id }), 202, 'go');
    expect(started.job).toMatchObject({ version: 2, total: 3, impactJob: impact.job.id });
    expect(started.items.map((i) => i.projectId)).toEqual(ids.slice(2).reverse());
    const view = await finished(started.job.id);
    expect(view.job).toMatchObject({ status: 'done', migrated: 3, failed: 0, pending: 0 });
    for (const id of ids.slice(2)) {
      expect(await versionOf(id)).toBe(2);
      const audits = await migratedAudits(id);
      expect(audits).toHaveLength(1);
      expect(JSON.parse(audits[0]!.detail!)).toEqual({ from: 1, to: 2 });
      expect(audits[0]!.actor).toBe('paula');
    }
    for (const id of ids.slice(0, 2)) expect(await versionOf(id)).toBe(1);

    // By version and ids: one moves, one already on version 2 is refused and listed with why.
    const second = bodyOf<MigrationView>(
      await migrate({ version: 2, projectIds: [ids[0], ids[2]] }),
      202,
      'second',
    );
    const after = await finished(second.job.id);
    expect(after.job).toMatchObject({ total: 2, migrated: 1, failed: 1 });
    const failed = bodyOf<MigrationView>(
      await call('GET', `${migrations}/${second.job.id}?status=failed`),
      200,
      'failures',
    );
    expect(failed.items).toEqual([
      {
        projectId: ids[2],
        status: 'failed',
        code: 'incompatible_version',
        reason: expect.stringContaining('already runs version 2'),
      },
    ]);
    expect(await versionOf(ids[0]!)).toBe(2);
    expect(await migratedAudits(ids[0]!)).toHaveLength(1);
    expect(await migratedAudits(ids[2]!)).toHaveLength(1);
    // Paged in job order.
    const page = bodyOf<MigrationView>(
      await call('GET', `${migrations}/${second.job.id}?limit=1`),
      200,
      'page',
    );
    expect(page.items.map((i) => i.projectId)).toEqual([ids[0]]);
    expect(page.nextCursor).toBeDefined();
  });

  it('records a small job for the replay test: one migrated, one refused, then a new run', async () => {
    // Version 2 is the latest: ids[1] still runs 1; ids[3] and ids[4] already run 2.
    const projectIds = [ids[1]!, ids[3]!, ids[4]!];
    const jobId = await createMigrationJob(api.db, {
      templateKey: template.key,
      version: 2,
      createdBy: 'paula',
      projectIds,
    });
    const { client } = await connectTestTemporal();
    const input: BulkMigrationInput = {
      jobId,
      userId: 'paula',
      templateKey: template.key,
      version: 2,
      projectIds,
      lanes: 1,
      perRun: 2,
    };
    const handle = await client.workflow.start(BULK_MIGRATION_WORKFLOW, {
      taskQueue: api.taskQueue,
      workflowId: bulkMigrationWorkflowId(jobId),
      args: [input],
    });
    await handle.result();
    const view = await finished(jobId);
    expect(view.job).toMatchObject({ total: 3, migrated: 1, failed: 2 });
    expect(await versionOf(ids[1]!)).toBe(2);
    // The first run: a project migrated, one refused, and the rest handed to a new run.
    const first = client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId);
    const events = (await first.fetchHistory()).events ?? [];
    expect(events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    if (factory.name === 'sqlite') await recordHistory(first, 'bulk-migration');
  });

  it('goes on in a new run past its share of projects, and a rerun migrates nothing twice', async () => {
    // Started on version 2 (the latest), moved to a renamed version 3.
    const fresh: string[] = [];
    for (let i = 0; i < 5; i++) fresh.push(await start(template.key, `runs ${i}`));
    await publish(renamed(withDeliverable(template, 'approval')));
    const jobId = await createMigrationJob(api.db, {
      templateKey: template.key,
      version: 3,
      createdBy: 'paula',
      projectIds: fresh,
    });
    const { client } = await connectTestTemporal();
    const input: BulkMigrationInput = {
      jobId,
      userId: 'paula',
      templateKey: template.key,
      version: 3,
      projectIds: fresh,
      lanes: 1,
      perRun: 2,
    };
    const handle = await client.workflow.start(BULK_MIGRATION_WORKFLOW, {
      taskQueue: api.taskQueue,
      workflowId: bulkMigrationWorkflowId(jobId),
      args: [input],
    });
    await handle.result();
    const view = await finished(jobId);
    expect(view.job).toMatchObject({ total: 5, migrated: 5, failed: 0 });
    for (const id of fresh) expect(await migratedAudits(id)).toHaveLength(1);
    // Three runs: two projects, two, then the last one.
    let runs = 1;
    let run = (await handle.describe()).runId;
    for (;;) {
      const history = await client.workflow.getHandle(handle.workflowId, run).fetchHistory();
      const previous =
        history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
      if (!previous) break;
      runs += 1;
      run = previous;
    }
    expect(runs).toBe(3);

    // The job's activities run again (what a retry after a crash does): each Update carries
    // the same key and id, so each project answers its first migration again — still
    // `migrated`, not refused as already on version 3 — and nothing is audited twice.
    const again = await client.workflow.start(BULK_MIGRATION_WORKFLOW, {
      taskQueue: api.taskQueue,
      workflowId: `${bulkMigrationWorkflowId(jobId)}-again`,
      args: [{ ...input, perRun: 5 }],
    });
    await again.result();
    expect((await finished(jobId)).job).toMatchObject({ migrated: 5, failed: 0 });
    for (const id of fresh) expect(await migratedAudits(id)).toHaveLength(1);
  });

  it('refuses to migrate by an analysis of a draft when another body was published as its version', async () => {
    // The canvas is analysed as the next version, edited, then published as that version.
    const latest = renamed(withDeliverable(template, 'approval'));
    const analysed = await analyse({ template: { ...latest, name: 'As analysed' } });
    const next = analysed.job.version;
    expect(analysed.job).toMatchObject({ draft: true, status: 'done' });
    await publish(withDeliverable({ ...latest, name: 'As published' }, 'approval', 'sign-off-log'));
    const jobs = async () =>
      (await api.db.selectFrom('migration_jobs').select('id').execute()).length;
    const before = await jobs();
    const refused = expectStatus(await migrate({ impactJob: analysed.job.id }), 409, 'stale');
    expect(refused.body).toMatchObject({
      code: 'impact_outdated',
      errors: [{ path: ['body', 'impactJob'], code: 'impact_outdated' }],
    });
    expect(await jobs()).toBe(before);
    // The version itself, analysed, may migrate by its analysis.
    const again = await analyse({ version: next });
    const started = bodyOf<MigrationView>(await migrate({ impactJob: again.job.id }), 202, 'go');
    expect(started.job).toMatchObject({ version: next });
    await finished(started.job.id);
  });
});
