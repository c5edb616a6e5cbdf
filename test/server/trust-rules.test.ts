/**
 * No project stuck by design, and severity as operations mean it (issue 8), over HTTP on
 * SQLite and PostgreSQL: a start or a migration the participants could never complete is
 * refused with every shortfall; conditions on every kind of `go` are tracked; 1 is critical,
 * `blockingSeverity` blocks it and everything worse, at the early exit and at expiry.
 */
import type { Template } from '../../workflows/model';
import type { ProjectView } from '../../server/contract';
import { eachDatabase } from '../support/databases';
import { bodyOf, eventually, expectStatus } from './drive-http';
import { startApiStack, type ApiStack } from './stack';
import {
  act,
  fieldErrors,
  hypercareTemplate,
  monitorTemplate,
  people,
  publish,
  startOn,
  type People,
} from './trust-support';

/** A stage owned by a writer (who signs nothing) before the hypercare template's nodes. */
function withWriterStage(): Template {
  const base = hypercareTemplate();
  return {
    ...base,
    roles: [...base.roles, { key: 'writer', name: 'Technical writer' }],
    start: 'docs',
    nodes: [
      {
        id: 'docs',
        type: 'stage',
        name: 'Documentation',
        owner: 'writer',
        deliverables: [{ id: 'runbook', name: 'Runbook', required: true }],
      },
      ...base.nodes,
    ],
    edges: [{ from: 'docs', to: 'hypercare', on: 'done' }, ...base.edges],
  };
}

describe.each(eachDatabase())('$name', (factory) => {
  let api: ApiStack;
  let p: People;
  beforeAll(async () => {
    api = await startApiStack(factory);
    p = await people(api, 'rules');
  });
  afterAll(async () => api.stop());

  const start = async (template: Template, participants: Record<string, string[]>) => {
    await publish(api, p.pmo, template);
    return api.call('POST', '/api/projects', {
      token: p.pmo.token,
      body: { name: 'Staffed?', template: template.key, participants },
    });
  };
  const state = async (id: string) =>
    bodyOf<ProjectView>(
      await api.call('GET', `/api/projects/${id}`, { token: p.pmo.token }),
      200,
      'project',
    );

  it('refuses a start the participants could never complete, listing every shortfall', async () => {
    // A stage owner nobody is; one user for two roles the PIR needs at once; nobody to review.
    const refused = await start(withWriterStage(), { pm: [p.olga.id], ops: [p.olga.id] });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('invalid_participants');
    expect(fieldErrors(refused).sort()).toEqual([
      'body.participants.writer: no_stage_owner',
      'body.participants: shared_signers',
    ]);
    const shared = refused.body.errors.find((e: { code: string }) => e.code === 'shared_signers');
    expect(shared.message).toMatch(/review "pir" needs 2 distinct signers .* can fill only 1/);
    const noReviewer = await start(monitorTemplate(), { pm: [p.pat.id] });
    expect(fieldErrors(noReviewer)).toEqual(['body.participants.ops: no_reviewer']);
    const short = await start(hypercareTemplate(), { pm: [p.pat.id] });
    expect(fieldErrors(short)).toEqual(['body.participants.ops: missing_participants']);
    // Staffed: it starts.
    const ok = await start(withWriterStage(), {
      pm: [p.pat.id],
      ops: [p.olga.id],
      writer: [p.omar.id],
    });
    expect(ok.status).toBe(201);
  });

  it('refuses a migration to a version the participants cannot staff, listing why', async () => {
    const v1 = hypercareTemplate();
    const id = expectStatus(await start(v1, { pm: [p.pat.id], ops: [p.olga.id] }), 201, 's').body
      .id as string;
    // Version 2: the PIR needs two ops users; only one takes part.
    const v2: Template = {
      ...v1,
      description: 'two ops at the PIR',
      nodes: v1.nodes.map((n) =>
        n.type === 'review'
          ? {
              ...n,
              signoff: {
                rules: [
                  { role: 'pm', min: 1 },
                  { role: 'ops', min: 2 },
                ],
              },
            }
          : n,
      ),
    };
    const version = await publish(api, p.pmo, v2);
    const refused = await act(api, p.pmo, id, '/migrate', { version });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('invalid_participants');
    expect(fieldErrors(refused)).toEqual(['body.version.participants.ops: missing_participants']);
    expect((await state(id)).template.version).toBe(1);
    const v3 = await publish(api, p.pmo, { ...v1, description: 'clearer wording' });
    expectStatus(await act(api, p.pmo, id, '/migrate', { version: v3 }), 200, 'migrate');
    expect((await state(id)).template.version).toBe(v3);
  });

  it('tracks the conditions of a hypercare exit go and a PIR go, and refuses ownerless ones', async () => {
    const base = hypercareTemplate();
    const template = { ...base, roles: [...base.roles, { key: 'steering', name: 'Steering' }] };
    const id = await startOn(api, p, template);
    const condition = (text: string, owner: string) => ({ text, due: 'P7D', owner });
    const sign = (owner: string) =>
      act(api, p.olga, id, '/nodes/hypercare/signoffs', {
        decision: 'go',
        conditions: [condition('Steering signs the budget', owner)],
      });
    expect(fieldErrors(await sign('board'))).toEqual(['body.conditions.0.owner: unknown_role']);
    // A role of the template nobody holds: nobody could ever meet it.
    const nobody = await sign('steering');
    expect(nobody.status).toBe(422);
    expect(fieldErrors(nobody)).toEqual(['body.conditions.0.owner: invalid_participants']);
    expectStatus(
      await act(api, p.olga, id, '/nodes/hypercare/signoffs', {
        decision: 'go',
        conditions: [condition('Second on-call engineer hired', 'ops')],
      }),
      200,
      'exit',
    );
    await act(api, p.pat, id, '/nodes/pir/signoffs', {
      decision: 'go',
      conditions: [condition('Benefits re-measured in Q3', 'pm')],
    });
    const closed = await act(api, p.olga, id, '/nodes/pir/signoffs', { decision: 'go' });
    expect(closed.body.status).toBe('completed');
    const conditions = (await state(id)).conditions.map((c) => [c.nodeId, c.owner, c.text]);
    expect(conditions).toEqual([
      ['hypercare', 'ops', 'Second on-call engineer hired'],
      ['pir', 'pm', 'Benefits re-measured in Q3'],
    ]);
  });

  it('blocks the early exit on severity 1 and 2 by default, not on 3 (minor)', async () => {
    const id = await startOn(api, p, hypercareTemplate());
    const raise = async (severity: number) =>
      expectStatus(
        await act(api, p.olga, id, '/issues', { severity, title: `S${severity}` }),
        201,
        'raise',
      ).body.id as string;
    const exit = () => act(api, p.olga, id, '/nodes/hypercare/signoffs', { decision: 'go' });
    const critical = await raise(1);
    expect((await exit()).body.code).toBe('blocking_issues_open');
    await act(api, p.omar, id, `/issues/${critical}/resolve`, {});
    const major = await raise(2);
    expect((await exit()).body.code).toBe('blocking_issues_open');
    await act(api, p.omar, id, `/issues/${major}/resolve`, {});
    await raise(3);
    expect((await exit()).status).toBe(200);
  });

  it('with blockingSeverity 1, blocks only on critical issues', async () => {
    const id = await startOn(api, p, hypercareTemplate({ blockingSeverity: 1 }));
    await act(api, p.olga, id, '/issues', { severity: 2, title: 'Major, not blocking here' });
    expect(
      (await act(api, p.olga, id, '/nodes/hypercare/signoffs', { decision: 'go' })).status,
    ).toBe(200);
    const other = await startOn(api, p, hypercareTemplate({ blockingSeverity: 1 }));
    await act(api, p.olga, other, '/issues', { severity: 1, title: 'Outage' });
    const refused = await act(api, p.olga, other, '/nodes/hypercare/signoffs', { decision: 'go' });
    expect(refused.body.code).toBe('blocking_issues_open');
  });

  it('extends at expiry with a critical issue open, asks for the exit with a minor one', async () => {
    const critical = await startOn(api, p, hypercareTemplate({ seconds: 2 }));
    const minor = await startOn(api, p, hypercareTemplate({ seconds: 2 }));
    await act(api, p.olga, critical, '/issues', { severity: 1, title: 'Payments fail' });
    await act(api, p.olga, minor, '/issues', { severity: 3, title: 'Typo on a label' });
    const extended = await eventually(
      'the automatic extension',
      () => state(critical),
      (s) => s.nodes.hypercare?.hypercare?.extensions === 1,
    );
    expect(extended.nodes.hypercare!.hypercare!.phase).toBe('running');
    const asked = await eventually(
      'the exit request',
      () => state(minor),
      (s) => s.nodes.hypercare?.hypercare?.phase === 'awaiting_exit',
    );
    expect(asked.nodes.hypercare!.hypercare!.extensions).toBe(0);
  });
});
