/**
 * A node renamed in a newer template version, over HTTP on SQLite and PostgreSQL: each project
 * pins the version it started on, and the portfolio names its stage as that version does — in
 * the counts per stage, the list and the CSV export — while the stage filter (a node id) finds
 * the node's projects of every version.
 */
import type { ProjectSummary } from '../../server/contract-responses';
import type { Template } from '../../workflows/model';
import { eachDatabase } from '../support/databases';
import { eventually, expectStatus } from './drive-http';
import { startApiStack, type ApiStack } from './stack';
import { people, pmOpsTemplate, PM_AND_OPS_SIGN, publish, type People } from './trust-support';

/** A go-live gate (the projects wait at it), then the end. */
function launchTemplate(): Template {
  return pmOpsTemplate('pinned', {
    name: 'Launch',
    start: 'go-live',
    nodes: [
      {
        id: 'go-live',
        type: 'gate',
        name: 'Go-live',
        owner: 'pm',
        signoff: PM_AND_OPS_SIGN,
        decisions: ['go', 'kill'],
      },
      { id: 'done', type: 'end', name: 'Done', result: 'completed' },
      { id: 'killed', type: 'end', name: 'Killed', result: 'killed' },
    ],
    edges: [
      { from: 'go-live', to: 'done', on: 'go' },
      { from: 'go-live', to: 'killed', on: 'kill' },
    ],
  });
}

/** `template` with node `id` named `name`. */
const renamed = (template: Template, id: string, name: string): Template => ({
  ...template,
  nodes: template.nodes.map((n) => (n.id === id ? { ...n, name } : n)),
});

describe.each(eachDatabase())('$name', (factory) => {
  let api: ApiStack;
  let p: People;
  beforeAll(async () => {
    api = await startApiStack(factory);
    p = await people(api, 'pinned');
  });
  afterAll(async () => api.stop());

  const start = async (template: Template, name: string) => {
    const reply = await api.call('POST', '/api/projects', {
      token: p.pmo.token,
      body: {
        name,
        template: template.key,
        participants: { pm: [p.pat.id], ops: [p.olga.id, p.omar.id] },
      },
    });
    return expectStatus(reply, 201, `start ${name}`).body.id as string;
  };

  it('names each project’s stage as its own version does; the stage filter finds both', async () => {
    const v1 = launchTemplate();
    expect(await publish(api, p.pmo, v1)).toBe(1);
    const old = await start(v1, 'On the first version');
    const v2 = renamed(v1, 'go-live', 'Launch decision');
    expect(await publish(api, p.pmo, v2)).toBe(2);
    const current = await start(v2, 'On the second version');

    // The stage's projects of both versions, newest first, each named by its own version.
    const stage = new URLSearchParams({ template: v1.key, stage: 'go-live' }).toString();
    const listed = await eventually(
      'both projects at the gate',
      async () =>
        expectStatus(
          await api.call('GET', `/api/projects?${stage}`, { token: p.pmo.token }),
          200,
          'list',
        ).body.items as ProjectSummary[],
      (items) => items.length === 2 && items.every((i) => i.progress?.current.length === 1),
    );
    expect(
      listed.map((i) => [i.id, i.template.version, i.progress!.current.map((c) => c.name)]),
    ).toEqual([
      [current, 2, ['Launch decision']],
      [old, 1, ['Go-live']],
    ]);

    // One chip per node (what the filter takes), named as the latest version names it, with
    // its projects per pinned version under that version's name.
    const counts = await api.call('GET', `/api/portfolio/stages?template=${v1.key}`, {
      token: p.pmo.token,
    });
    expect(expectStatus(counts, 200, 'counts').body).toEqual({
      templates: [
        {
          key: v1.key,
          name: 'Launch',
          stages: [
            {
              id: 'go-live',
              name: 'Launch decision',
              kind: 'gate',
              active: 2,
              onHold: 0,
              versions: [
                { version: 1, name: 'Go-live', kind: 'gate', active: 1, onHold: 0 },
                { version: 2, name: 'Launch decision', kind: 'gate', active: 1, onHold: 0 },
              ],
            },
          ],
        },
      ],
    });

    // A version without the node: the chip keeps the name the newest pinned version gives it.
    const gateOf = v1.nodes[0]!;
    expect(
      await publish(api, p.pmo, {
        ...v1,
        start: 'approval',
        nodes: [{ ...gateOf, id: 'approval', name: 'Approval' }, ...v1.nodes.slice(1)],
        edges: v1.edges.map((e) => (e.from === 'go-live' ? { ...e, from: 'approval' } : e)),
      }),
    ).toBe(3);
    const after = await api.call('GET', `/api/portfolio/stages?template=${v1.key}`, {
      token: p.pmo.token,
    });
    const [chip] = expectStatus(after, 200, 'counts after v3').body.templates[0].stages;
    expect([chip.id, chip.name, chip.kind, chip.active]).toEqual([
      'go-live',
      'Launch decision',
      'gate',
      2,
    ]);

    // The export of the stage: each row's current node named by its own version.
    const csv = await api.call('GET', `/api/portfolio/export?${stage}`, { token: p.pmo.token });
    const [header, ...rows] = (expectStatus(csv, 200, 'export').body as string)
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .filter((line) => line !== '')
      .map((line) => line.split(','));
    const column = (name: string) => header!.indexOf(name);
    expect(
      rows.map((r) => [r[0], r[column('version')], r[column('current')], r[column('current_ids')]]),
    ).toEqual([
      [current, '2', 'Launch decision', 'go-live'],
      [old, '1', 'Go-live', 'go-live'],
    ]);
  }, 60_000);
});
