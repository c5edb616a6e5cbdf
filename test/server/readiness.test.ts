/**
 * Readiness you can see (issue 13 item 5) over HTTP on SQLite and PostgreSQL: the open items in
 * the inbox of whoever they wait for, refusals with their status and field (422, 403, 409),
 * a go refused `not_ready` until the checklist is met, the record in the project and its audit.
 */
import type { Template } from '../../workflows/model';
import { eachDatabase } from '../support/databases';
import { eventually, expectStatus } from './drive-http';
import {
  act,
  fieldErrors,
  pmOpsTemplate,
  PM_AND_OPS_SIGN,
  projectAs,
  startOn,
  todosIn,
  type People,
} from './trust-support';
import { trustStack } from './trust-stack';

/** A handoff gate (pm + ops) with a readiness checklist, then a stage. */
function handoffTemplate(): Template {
  return pmOpsTemplate('readiness', {
    name: 'Handoff with a readiness checklist',
    start: 'handoff',
    nodes: [
      {
        id: 'handoff',
        type: 'gate',
        name: 'Handoff',
        owner: 'pm',
        signoff: PM_AND_OPS_SIGN,
        readiness: {
          groups: [{ key: 'frontline', name: 'Frontline users' }],
          training: { min: 0.9, roles: [{ key: 'agents', name: 'Agents' }] },
          supportModel: true,
        },
      },
      { id: 'run', type: 'stage', name: 'Run', owner: 'pm', deliverables: [] },
      { id: 'done', type: 'end', name: 'Done', result: 'completed' },
      { id: 'killed', type: 'end', name: 'Killed', result: 'killed' },
    ],
    edges: [
      { from: 'handoff', to: 'run', on: 'go' },
      { from: 'handoff', to: 'handoff', on: 'recycle' },
      { from: 'handoff', to: 'killed', on: 'kill' },
      { from: 'run', to: 'done', on: 'done' },
    ],
  });
}

describe.each(eachDatabase())('$name', (factory) => {
  const s = trustStack(factory, 'ready');

  const state = (id: string) => projectAs(s.api, s.pmo, id);
  const items = async (user: { token: string }, id: string) =>
    (await todosIn(s.api, user, id))
      .filter((i) => i.action === 'record-readiness')
      .map((i) => i.itemId)
      .sort();
  const record = (user: People['pat'], id: string, body: object) =>
    act(s.api, user, id, '/nodes/handoff/readiness', body);

  it('records readiness, refuses with reasons, and a go waits for it', async () => {
    const id = await startOn(s.api, s, handoffTemplate());
    await eventually(
      'the open readiness items in the inbox',
      async () => [await items(s.pat, id), await items(s.olga, id)],
      ([pat, olga]) => pat!.length === 2 && olga!.length === 1,
    ).then(([pat, olga]) => {
      expect(pat).toEqual(['adkar:frontline', 'training:agents']);
      expect(olga).toEqual(['supportModel']);
    });

    const early = await act(s.api, s.pat, id, '/nodes/handoff/signoffs', { decision: 'go' });
    expect([early.status, early.body.code]).toEqual([422, 'not_ready']);
    expect(fieldErrors(early)).toEqual([
      'body.decision: not_ready',
      'body.decision: not_ready',
      'body.decision: not_ready',
    ]);
    expect(early.body.detail).toContain('Frontline users reached no ADKAR stage yet');

    const refusals: [People['pat'] | { token: string }, object, number, string[]][] = [
      [s.pat, { adkar: { nobody: 'ability' } }, 422, ['body.adkar.nobody: invalid_input']],
      [
        s.pat,
        { training: { agents: { trained: 12, total: 10 } } },
        422,
        ['body.training.agents.trained: invalid_input'],
      ],
      [s.pat, { supportModel: { inPlace: true } }, 403, ['body.supportModel: not_allowed']],
      [s.stranger, { adkar: { frontline: 'ability' } }, 403, []],
    ];
    for (const [user, body, status, errors] of refusals) {
      const reply = await record(user as People['pat'], id, body);
      expect(reply.status).toBe(status);
      expect(reply.headers.get('content-type')).toMatch(/application\/problem\+json/);
      if (errors.length) expect(fieldErrors(reply)).toEqual(errors);
    }
    const badStage = await record(s.pat, id, { adkar: { frontline: 'enlightened' } });
    expect(badStage.status).toBe(400);
    expect(fieldErrors(badStage)[0]).toMatch(/^body\.adkar\.frontline: /);
    expect((await state(id)).nodes.handoff?.readiness).toBeUndefined();

    expectStatus(
      await record(s.pat, id, {
        adkar: { frontline: 'ability' },
        training: { agents: { trained: 8, total: 10 } },
        comment: 'after the first two sessions',
      }),
      200,
      'pm records',
    );
    expectStatus(
      await record(s.olga, id, { supportModel: { inPlace: true } }),
      200,
      'ops confirms',
    );
    const short = await act(s.api, s.pat, id, '/nodes/handoff/signoffs', { decision: 'go' });
    expect([short.status, short.body.code]).toEqual([422, 'not_ready']);
    expect(short.body.detail).toContain('Agents: 8 / 10 (80%) trained, 90% needed');
    expectStatus(
      await record(s.omar, id, { training: { agents: { trained: 9, total: 10 } } }),
      200,
      'ops counts',
    );
    expect((await state(id)).nodes.handoff?.readiness).toMatchObject({
      adkar: { frontline: { stage: 'ability', by: s.pat.id } },
      training: { agents: { trained: 9, total: 10, by: s.omar.id } },
      supportModel: { inPlace: true, by: s.olga.id, role: 'ops' },
    });
    await eventually(
      'the readiness items off the inbox',
      async () => [...(await items(s.pat, id)), ...(await items(s.olga, id))],
      (left) => left.length === 0,
    );

    for (const user of [s.pat, s.olga]) {
      expectStatus(
        await act(s.api, user, id, '/nodes/handoff/signoffs', { decision: 'go' }),
        200,
        'go',
      );
    }
    const late = await record(s.pat, id, { adkar: { frontline: 'reinforcement' } });
    expect([late.status, late.body.code]).toEqual([409, 'not_active']);

    const audit = await s.api.call('GET', `/api/projects/${id}/audit?limit=200`, {
      token: s.pmo.token,
    });
    const recorded = (
      expectStatus(audit, 200, 'audit').body.items as {
        action: string;
        actor: string;
        detail?: Record<string, unknown>;
      }[]
    ).filter((e) => e.action === 'readiness.recorded');
    expect(recorded.map((e) => e.actor).sort()).toEqual([s.olga.id, s.omar.id, s.pat.id].sort());
    expect(recorded.find((e) => e.actor === s.omar.id)?.detail).toMatchObject({
      training: { agents: '9 / 10 (90%)' },
      ready: true,
    });
  });
});
