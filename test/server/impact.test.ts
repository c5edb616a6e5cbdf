/**
 * `POST /api/templates/:key/impact` and its job over HTTP (issue 15): a draft analysed against
 * the running projects of its template a batch per request, polled to the end and paged; bad
 * candidates refused naming the field; one project's dry run against a version.
 */
import type { ImpactView } from '../../server/contract';
import type { ProjectImpact } from '../../workflows/model';
import { withDeliverable } from '../fixtures/impact-drafts';
import { miniTemplate } from '../fixtures/mini-template';
import { eachDatabase } from '../support/databases';
import { allPages, bodyOf, expectStatus } from './drive-http';
import { startApiStack, type ApiStack, type TestUser } from './stack';

const template = { ...miniTemplate, key: 'mini-impact' };
const participants = { pm: ['pat'], ops: ['olga', 'omar'], steering: ['sam'] };
const criteria = { 'support-ready': true, training: 8, comms: 6 };

describe.each(eachDatabase().slice(0, 1))('impact analysis over HTTP on $name', (factory) => {
  let api: ApiStack;
  let pmo: TestUser;
  const tokens: Record<string, string> = {};
  const ids: string[] = [];
  beforeAll(async () => {
    api = await startApiStack(factory, { impactBatch: 2 });
    pmo = await api.user('paula', { pmo: true });
    for (const id of ['pat', 'olga', 'omar', 'sam']) tokens[id] = (await api.user(id)).token;
    const put = await api.call('PUT', `/api/templates/${template.key}/draft`, {
      token: pmo.token,
      body: template,
    });
    expectStatus(put, 200, 'draft');
    expectStatus(
      await api.call('POST', `/api/templates/${template.key}/publish`, { token: pmo.token }),
      201,
      'publish',
    );
    for (let i = 0; i < 5; i++) {
      const started = await api.call('POST', '/api/projects', {
        token: pmo.token,
        body: { name: `impact ${i}`, template: template.key, participants },
      });
      ids.push(bodyOf<{ id: string }>(started, 201, 'start').id);
    }
    // Two projects pass the approval gate into hypercare.
    for (const id of ids.slice(0, 2)) {
      const act = async (user: string, path: string, body: unknown) =>
        expectStatus(
          await api.call('POST', `/api/projects/${id}${path}`, { token: tokens[user], body }),
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
  }, 60_000);
  afterAll(async () => api?.stop());

  const analyse = (body: unknown, token = pmo.token) =>
    api.call('POST', `/api/templates/${template.key}/impact`, { token, body });

  it('analyses a draft a batch per request, then pages every project with its class', async () => {
    const draft = withDeliverable(template, 'approval');
    const first = bodyOf<ImpactView>(await analyse({ template: draft }), 202, 'analyse');
    expect(first.job).toMatchObject({
      status: 'running',
      total: 5,
      done: 2,
      version: 2,
      draft: true,
    });
    const path = `/api/templates/${template.key}/impact/${first.job.id}`;
    let view = first;
    for (let polls = 0; view.job.status === 'running'; polls++) {
      expect(polls).toBeLessThan(5);
      view = bodyOf<ImpactView>(await api.call('GET', path, { token: pmo.token }), 200, 'poll');
    }
    expect(view.job).toMatchObject({ status: 'done', total: 5, done: 5 });
    expect(view.summary).toEqual({ unchanged: 3, differs: 2, blocked: 0 });
    const { items, pages } = await allPages<ProjectImpact>(async (cursor) =>
      bodyOf(
        await api.call('GET', `${path}?limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
          token: pmo.token,
        }),
        200,
        'page',
      ),
    );
    expect(pages).toBe(3);
    expect(new Set(items.map((i) => i.projectId))).toEqual(new Set(ids));
    for (const item of items) {
      const advanced = ids.slice(0, 2).includes(item.projectId);
      expect(item).toMatchObject(
        advanced
          ? { class: 'differs', current: ['hypercare'], wouldStand: ['approval'] }
          : { class: 'unchanged', current: ['plan'], differences: [] },
      );
    }
    // Another template's key does not reach this job.
    expectStatus(
      await api.call('GET', `/api/templates/mini/impact/${first.job.id}`, { token: pmo.token }),
      404,
      'other key',
    );
  });

  it("moves a job on only when polled under its own template's key", async () => {
    const first = bodyOf<ImpactView>(
      await analyse({ template: withDeliverable(template, 'approval') }),
      202,
      'analyse',
    );
    expect(first.job).toMatchObject({ status: 'running', done: 2 });
    const poll = (key: string) =>
      api.call('GET', `/api/templates/${key}/impact/${first.job.id}`, { token: pmo.token });
    expectStatus(await poll('mini'), 404, 'other key');
    // The refused poll analysed nothing: the next one analyses the second batch.
    expect(bodyOf<ImpactView>(await poll(template.key), 200, 'poll').job.done).toBe(4);
  });

  it('refuses bad candidates naming the field, and writes no job', async () => {
    const jobs = async () => (await api.db.selectFrom('impact_jobs').select('id').execute()).length;
    const before = await jobs();
    const invalid = await analyse({ template: { ...template, start: 'nowhere' } });
    expect(expectStatus(invalid, 422, 'invalid').body).toMatchObject({
      code: 'invalid_template',
      errors: [expect.objectContaining({ path: ['body', 'template', 'start'] })],
    });
    const other = await analyse({ template: { ...template, key: 'someone-else' } });
    expect(expectStatus(other, 422, 'key').body).toMatchObject({
      code: 'template_key_mismatch',
      errors: [expect.objectContaining({ path: ['body', 'template', 'key'] })],
    });
    const version = await analyse({ version: 9 });
    expect(expectStatus(version, 422, 'version').body).toMatchObject({
      code: 'unknown_version',
      errors: [expect.objectContaining({ path: ['body', 'version'] })],
    });
    const none = await api.call('POST', '/api/templates/never-published/impact', {
      token: pmo.token,
      body: { version: 1 },
    });
    expectStatus(none, 404, 'no published version');
    expectStatus(await analyse({ version: 1 }, tokens.pat), 403, 'not the PMO');
    expect(await jobs()).toBe(before);
  });

  it('dry runs one project against a published version', async () => {
    const v2 = withDeliverable(template, 'approval');
    expectStatus(
      await api.call('PUT', `/api/templates/${template.key}/draft`, { token: pmo.token, body: v2 }),
      200,
      'draft',
    );
    expectStatus(
      await api.call('POST', `/api/templates/${template.key}/publish`, { token: pmo.token }),
      201,
      'publish',
    );
    const dry = (id: string, version: number) =>
      api.call('POST', `/api/projects/${id}/impact`, { token: pmo.token, body: { version } });
    const advanced = bodyOf<ProjectImpact>(await dry(ids[0]!, 2), 200, 'dry run');
    expect(advanced).toMatchObject({
      class: 'differs',
      version: 1,
      current: ['hypercare'],
      wouldStand: ['approval'],
    });
    expect(advanced.differences).toContainEqual(
      expect.objectContaining({ kind: 'deliverable_missing', nodeId: 'approval' }),
    );
    expect(bodyOf<ProjectImpact>(await dry(ids[4]!, 2), 200, 'dry run')).toMatchObject({
      class: 'unchanged',
    });
    expect(bodyOf<ProjectImpact>(await dry(ids[4]!, 1), 200, 'same version')).toMatchObject({
      class: 'blocked',
    });
    expect(expectStatus(await dry(ids[4]!, 7), 422, 'unknown').body).toMatchObject({
      code: 'unknown_version',
      errors: [expect.objectContaining({ path: ['body', 'version'] })],
    });
    // Nothing changed: the project still runs version 1.
    const state = await api.call('GET', `/api/projects/${ids[0]}`, { token: pmo.token });
    expect(bodyOf<{ template: { version: number } }>(state, 200, 'state').template.version).toBe(1);
  });
});
