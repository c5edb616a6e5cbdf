/**
 * People, not ids (issue 10, item 3), over HTTP on both databases: a project names everyone it
 * mentions — participants, who started it, whoever acted, the PMO included — to every
 * participant, who may not search the directory themselves; deactivated people say so; a
 * template's versions name their publisher.
 */
import { foldName } from '../../db/name-fold';
import { eachDatabase } from '../support/databases';
import { eventually, expectStatus, startProject } from './drive-http';
import { startApiStack, type ApiStack, type TestUser } from './stack';

describe.each(eachDatabase())('$name', (factory) => {
  let api: ApiStack;
  let pmo: TestUser;
  let pat: TestUser;

  beforeAll(async () => {
    api = await startApiStack(factory);
    pmo = await api.user('pmo-priya', { pmo: true });
    pat = await api.user('pat');
    for (const id of ['olga', 'mona', 'sue', 'stan']) await api.user(id);
    // Display names as people have them (the stack names users by their id).
    for (const [id, name] of [
      ['pmo-priya', 'Priya Pillai'],
      ['pat', 'Pat Okafor'],
      ['olga', 'Olga Berg'],
      ['stan', 'Stan Mills'],
    ]) {
      await api.db
        .updateTable('users')
        .set({ name, name_folded: foldName(name!) })
        .where('id', '=', id!)
        .execute();
    }
  });
  afterAll(async () => api.stop());

  it('names the participants, the starter and every actor for any participant', async () => {
    const id = await startProject(api, pmo, 'CRM rollout');
    // A participant acts, and the PMO (no participant) cancels: both are actors.
    expectStatus(
      await api.call('POST', `/api/projects/${id}/feedback`, {
        token: pat.token,
        body: { kind: 'feedback', text: 'Kick-off went well' },
      }),
      201,
      'feedback',
    );
    expectStatus(
      await api.call('POST', `/api/projects/${id}/cancel`, {
        token: pmo.token,
        body: { reason: 'Budget moved to ERP' },
      }),
      200,
      'cancel',
    );
    // Stan is deactivated meanwhile: still named, marked so.
    await api.db
      .updateTable('users')
      .set({ deactivated_at: Date.now() })
      .where('id', '=', 'stan')
      .execute();

    // Pat may not search the directory, yet sees everyone's name on the project.
    expect((await api.call('GET', '/api/users?q=olga', { token: pat.token })).status).toBe(403);
    const people = await eventually(
      'the cancellation in the read model',
      async () =>
        expectStatus(
          await api.call('GET', `/api/projects/${id}/people`, { token: pat.token }),
          200,
          'people',
        ).body.people as Record<string, { name: string; active: boolean }>,
      (p) => Object.keys(p).length === 6,
    );
    expect(people).toEqual({
      'pmo-priya': { name: 'Priya Pillai', active: true },
      pat: { name: 'Pat Okafor', active: true },
      olga: { name: 'Olga Berg', active: true },
      mona: { name: 'mona', active: true },
      sue: { name: 'sue', active: true },
      stan: { name: 'Stan Mills', active: false },
    });
    // Ids stay in what is exported: the audit trail and the state.
    const audit = expectStatus(
      await api.call('GET', `/api/projects/${id}/audit`, { token: pat.token }),
      200,
      'audit',
    );
    expect(audit.body.items[0]).toMatchObject({ action: 'project.started', actor: 'pmo-priya' });
  });

  it('names the publisher of each template version', async () => {
    const key = 'people-versions';
    const template = {
      schema: 'gatehouse/template@1',
      key,
      name: 'Named publisher',
      roles: [{ key: 'ops', name: 'Operations', operations: true }],
      start: 'done',
      nodes: [{ id: 'done', type: 'end', name: 'Done', result: 'completed' }],
      edges: [],
    };
    expectStatus(
      await api.call('PUT', `/api/templates/${key}/draft`, { token: pmo.token, body: template }),
      200,
      'draft',
    );
    expectStatus(
      await api.call('POST', `/api/templates/${key}/publish`, { token: pmo.token }),
      201,
      'publish',
    );
    const versions = expectStatus(
      await api.call('GET', `/api/templates/${key}/versions`, { token: pat.token }),
      200,
      'versions',
    ).body.items;
    expect(versions).toEqual([
      expect.objectContaining({
        version: 1,
        publishedBy: 'pmo-priya',
        publishedByName: 'Priya Pillai',
      }),
    ]);
    const builtin = expectStatus(
      await api.call('GET', '/api/templates/ops-integrated-delivery/versions', {
        token: pat.token,
      }),
      200,
      'builtin versions',
    ).body.items;
    expect(builtin[0].publishedBy).toBe('system');
    expect(builtin[0].publishedByName).toBeUndefined();
  });
});
