/**
 * Reserved ids over HTTP (SPEC §2): publishing and validation refuse a template holding
 * `constructor` where a slug stands; a version published before that rule may hold one, and
 * nothing starts or migrates onto it: 422 `invalid_template`, its error `reserved_id` naming the field, nothing written.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { Client, Connection } from '@temporalio/client';
import { getLatestVersion, publishDraft, saveDraft } from '../../db';
import { projectWorkflowId } from '../../workflows/messages';
import {
  canonicalJson,
  opsIntegratedDelivery,
  sha256Hex,
  validateTemplate,
  type Template,
} from '../../workflows/model';
import { databaseFactory } from '../support/databases';
import { temporalAddress } from '../support/temporal';
import { BUILTIN_SEATS, expectStatus, startProject } from './drive-http';
import { startApiStack, type ApiStack, type TestUser } from './stack';

const KEY = opsIntegratedDelivery.key;

/** The built-in template with a required deliverable `constructor` on its first stage. */
function withReservedDeliverable(): { template: Template; path: (string | number)[] } {
  const template = structuredClone(opsIntegratedDelivery);
  const index = template.nodes.findIndex((n) => n.type === 'stage');
  const stage = template.nodes[index]!;
  if (stage.type !== 'stage') throw new Error('no stage');
  stage.deliverables.push({ id: 'constructor', name: 'Constructor', required: true });
  return { template, path: ['nodes', index, 'deliverables', stage.deliverables.length - 1, 'id'] };
}

/** The built-in template with its start node renamed `constructor`. */
function withReservedNode(): Template {
  const template = structuredClone(opsIntegratedDelivery);
  const old = template.start;
  const rename = (id: string) => (id === old ? 'constructor' : id);
  template.start = 'constructor';
  for (const node of template.nodes) node.id = rename(node.id);
  for (const edge of template.edges)
    Object.assign(edge, { from: rename(edge.from), to: rename(edge.to) });
  delete template.layout;
  return template;
}

describe('reserved ids', () => {
  let api: ApiStack;
  let pmo: TestUser;
  let client: Client;
  let connection: Connection;

  beforeAll(async () => {
    api = await startApiStack(databaseFactory('sqlite'));
    pmo = await api.user('pmo', { pmo: true });
    for (const id of ['pat', 'olga', 'mona', 'sue', 'stan']) await api.user(id);
    connection = await Connection.connect({ address: temporalAddress().address });
    client = new Client({ connection, namespace: temporalAddress().namespace });
  }, 60_000);
  afterAll(async () => {
    await connection?.close();
    await api?.stop();
  });

  it('validation reports a reserved node id at its path', async () => {
    const template = withReservedNode();
    expect(validateTemplate(template).valid).toBe(true);
    const reply = await api.call('POST', '/api/templates/validate', {
      token: pmo.token,
      body: template,
    });
    expect(expectStatus(reply, 200, 'validate').body.valid).toBe(false);
    expect(reply.body.errors).toContainEqual({
      path: ['nodes', 0, 'id'],
      nodeId: 'constructor',
      code: 'reserved_id',
      message: '“constructor” is reserved; choose another id',
    });
  });

  it('publishing refuses it: 422 with the path and code, no version', async () => {
    const template = { ...withReservedNode(), key: 'reserved-node' };
    const saved = await api.call('PUT', '/api/templates/reserved-node/draft', {
      token: pmo.token,
      body: template,
    });
    expect(expectStatus(saved, 200, 'save').body).toMatchObject({ valid: false });
    const reply = await api.call('POST', '/api/templates/reserved-node/publish', {
      token: pmo.token,
    });
    expect(expectStatus(reply, 422, 'publish').body.code).toBe('invalid_template');
    expect(reply.body.errors).toContainEqual(
      expect.objectContaining({ path: ['draft', 'nodes', 0, 'id'], code: 'reserved_id' }),
    );
    expect(await getLatestVersion(api.db, 'reserved-node')).toBeUndefined();
  });

  describe('a version stored before the rule', () => {
    let version: number;
    let field: (string | number)[];

    beforeAll(async () => {
      // As publishing did before this rule: validateTemplate alone.
      const { template, path } = withReservedDeliverable();
      field = path;
      await saveDraft(api.db, KEY, template, pmo.id);
      const published = await publishDraft(api.db, KEY, pmo.id, validateTemplate);
      if (!published.ok) throw new Error(`publish: ${published.reason}`);
      version = published.version;
    });

    it('starts no project: 422 naming the field, nothing written', async () => {
      const key = 'reserved-start';
      const reply = await api.call('POST', '/api/projects', {
        token: pmo.token,
        headers: { 'idempotency-key': key },
        body: { name: 'Reserved start', template: KEY, version, participants: BUILTIN_SEATS },
      });
      expect(expectStatus(reply, 422, 'start').body.code).toBe('invalid_template');
      expect(reply.body.errors).toEqual([
        {
          path: ['body', 'version', ...field],
          code: 'reserved_id',
          message: expect.stringContaining(`field ${field.join('.')}: “constructor” is reserved`),
        },
      ]);
      // The latest version is that one too: named by the template then.
      const latest = await api.call('POST', '/api/projects', {
        token: pmo.token,
        body: { name: 'Reserved start', template: KEY, participants: BUILTIN_SEATS },
      });
      expect(expectStatus(latest, 422, 'start latest').body.errors[0].path).toEqual([
        'body',
        'template',
        ...field,
      ]);
      const rows = await api.db
        .selectFrom('projects')
        .select('id')
        .where('name', '=', 'Reserved start')
        .execute();
      expect(rows).toEqual([]);
      const starts = await api.db
        .selectFrom('project_starts')
        .select('key')
        .where('key', '=', key)
        .execute();
      expect(starts).toEqual([]);
      const hex = sha256Hex(canonicalJson(['project', pmo.id, key]));
      const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
      await expect(
        client.workflow.getHandle(projectWorkflowId(id)).describe(),
      ).rejects.toBeInstanceOf(WorkflowNotFoundError);
    });

    it('migrates no project onto it, one by one or in bulk', async () => {
      const id = await startProject(api, pmo, 'On version 1', { version: 1 });
      const one = await api.call('POST', `/api/projects/${id}/migrate`, {
        token: pmo.token,
        body: { version },
      });
      expect(expectStatus(one, 422, 'migrate').body).toMatchObject({
        code: 'invalid_template',
        errors: [{ path: ['body', 'version', ...field], code: 'reserved_id' }],
      });
      const bulk = await api.call('POST', `/api/templates/${KEY}/migrations`, {
        token: pmo.token,
        body: { version, projectIds: [id] },
      });
      expect(expectStatus(bulk, 422, 'bulk migration').body).toMatchObject({
        code: 'invalid_template',
        errors: [{ path: ['body', 'version', ...field], code: 'reserved_id' }],
      });
      const state = await api.call('GET', `/api/projects/${id}`, { token: pmo.token });
      expect(expectStatus(state, 200, 'project').body.template).toEqual({ key: KEY, version: 1 });
    });
  });
});
