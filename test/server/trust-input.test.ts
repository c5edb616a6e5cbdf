/**
 * Text that every store can hold (issue 8): every free-text field of every action refuses NUL,
 * other control characters and unpaired surrogates with 422 naming the field, a text over its
 * cap is 422 naming the cap, and what is accepted comes back the same (NFC) from SQLite and
 * PostgreSQL alike, long texts included (they live in the app database, not the workflow).
 */
import { LIMITS, TEMPLATE_LIMITS, type Template } from '../../workflows/model';
import type { ProjectView } from '../../server/contract';
import { eachDatabase } from '../support/databases';
import { bodyOf, eventually, expectStatus } from './drive-http';
import { startApiStack, type ApiStack } from './stack';
import {
  act,
  fieldErrors,
  hypercareTemplate,
  people,
  publish,
  startOn,
  type People,
} from './trust-support';

/** Texts no store can hold (or should be asked to). */
const REFUSED = {
  nul: 'before\u0000after',
  bell: 'ring\u0007',
  'lone high surrogate': 'half \ud83d of a pair',
  'lone low surrogate': 'other half \ude80',
};

/** A valid body per action and where its free texts are. */
const FIELDS: { route: string; body: Record<string, unknown>; field: (string | number)[] }[] = [
  { route: '/nodes/hypercare/signoffs', body: { decision: 'go' }, field: ['comment'] },
  {
    route: '/nodes/hypercare/signoffs',
    body: { decision: 'go', conditions: [{ text: 'x', due: 'P7D', owner: 'ops' }] },
    field: ['conditions', 0, 'text'],
  },
  { route: '/nodes/stage/deliverables/doc', body: {}, field: ['text'] },
  { route: '/nodes/stage/deliverables/doc', body: {}, field: ['url'] },
  { route: '/issues', body: { severity: 2 }, field: ['title'] },
  { route: '/issues/issue-1/resolve', body: {}, field: ['note'] },
  { route: '/hypercare/extend', body: {}, field: ['reason'] },
  { route: '/feedback', body: { kind: 'lesson' }, field: ['text'] },
  { route: '/conditions/hypercare-1-1/met', body: {}, field: ['note'] },
  { route: '/resume', body: {}, field: ['reason'] },
  { route: '/retire', body: {}, field: ['reason'] },
  { route: '/cancel', body: {}, field: ['reason'] },
];

function withField(body: Record<string, unknown>, path: (string | number)[], value: string) {
  const copy = JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
  let at: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path.at(-1)!] = value;
  return copy;
}

describe.each(eachDatabase())('$name', (factory) => {
  let api: ApiStack;
  let p: People;
  let id: string;
  beforeAll(async () => {
    api = await startApiStack(factory);
    p = await people(api, 'txt');
    id = await startOn(api, p, hypercareTemplate());
  });
  afterAll(async () => api.stop());

  it.each(Object.entries(REFUSED))(
    'refuses %s in every free-text field of every action with 422 naming the field',
    async (_what, text) => {
      for (const { route, body, field } of FIELDS) {
        const reply = await act(api, p.olga, id, route, withField(body, field, text));
        expect([route, field, reply.status]).toEqual([route, field, 422]);
        expect(fieldErrors(reply)).toContain(`${['body', ...field].join('.')}: invalid_text`);
        expect(reply.body.errors[0].message).toMatch(/cannot be stored/);
      }
      // The project's own name, and a template's texts on publishing.
      const start = await api.call('POST', '/api/projects', {
        token: p.pmo.token,
        body: { name: text, template: 'x', participants: {} },
      });
      expect(start.status).toBe(422);
      expect(fieldErrors(start)).toContain('body.name: invalid_text');
      const template = { ...hypercareTemplate(), name: text };
      await api.call('PUT', `/api/templates/${template.key}/draft`, {
        token: p.pmo.token,
        body: template,
      });
      const published = await api.call('POST', `/api/templates/${template.key}/publish`, {
        token: p.pmo.token,
      });
      expect(published.status).toBe(422);
      expect(fieldErrors(published)).toContain('draft.name: invalid_text');
    },
  );

  it('answers a text over its cap with 422 naming the field and the cap', async () => {
    const long = 'ẞ'.repeat(LIMITS.issueTitle + 1);
    const reply = await act(api, p.olga, id, '/issues', { severity: 2, title: long });
    expect(reply.status).toBe(422);
    expect(reply.body.errors).toEqual([
      {
        path: ['body', 'title'],
        code: 'too_big',
        message: `at most ${LIMITS.issueTitle} characters`,
      },
    ]);
    const conditions = Array.from({ length: LIMITS.conditionsPerSignoff + 1 }, () => ({
      text: 'x',
      due: 'P1D',
      owner: 'ops',
    }));
    const many = await act(api, p.olga, id, '/nodes/hypercare/signoffs', {
      decision: 'go',
      conditions,
    });
    expect(many.status).toBe(422);
    expect(fieldErrors(many)).toEqual(['body.conditions: too_big']);
  });

  it('stores every other text as sent (NFC), long ones too, and answers it back', async () => {
    const project = await startOn(api, p, hypercareTemplate());
    const mixed = 'Cafe\u0301 🚀 עברית 漢字 —\ttab\nline';
    const nfc = mixed.normalize('NFC');
    const long = `${'Ünïcödé 🧪 '.repeat(390)}end`;
    expect([...long].length).toBeLessThanOrEqual(LIMITS.comment);
    const issue = await act(api, p.olga, project, '/issues', { severity: 3, title: mixed });
    const issueId = expectStatus(issue, 201, 'raise').body.id as string;
    expectStatus(
      await act(api, p.omar, project, `/issues/${issueId}/resolve`, { note: long }),
      200,
      'resolve',
    );
    expectStatus(
      await act(api, p.pat, project, '/feedback', { kind: 'feedback', text: mixed }),
      201,
      'feedback',
    );
    const signed = await act(api, p.olga, project, '/nodes/hypercare/signoffs', {
      decision: 'go',
      comment: long,
      conditions: [{ text: mixed, due: 'P7D', owner: 'pm' }],
    });
    // The answer already carries the texts, though the record write may not have stored them.
    expect(expectStatus(signed, 200, 'sign').body.node.votes[0].comment).toBe(long);

    const state = await eventually(
      'the texts in the read model and the app database',
      async () =>
        bodyOf<ProjectView>(
          await api.call('GET', `/api/projects/${project}`, { token: p.pmo.token }),
          200,
          'get',
        ),
      (s) => s.feedback.length === 1 && s.feedback[0]!.text !== undefined,
    );
    expect(state.issues[0]).toMatchObject({ title: nfc, note: long });
    expect(state.feedback[0]).toMatchObject({ text: nfc, kind: 'feedback' });
    expect(state.nodes.hypercare!.votes[0]).toMatchObject({ comment: long });
    expect(state.conditions[0]).toMatchObject({ text: nfc, nodeId: 'hypercare', owner: 'pm' });

    // The audit trail has them too, whole.
    const audit = bodyOf<{ items: { action: string; reason?: string }[] }>(
      await api.call('GET', `/api/projects/${project}/audit`, { token: p.pmo.token }),
      200,
      'audit',
    );
    expect(audit.items.find((e) => e.action === 'signoff')?.reason).toBe(long);
    expect(audit.items.find((e) => e.action === 'issue.resolved')?.reason).toBe(long);
  });

  it('refuses a template text over its cap, and a template over the size cap', async () => {
    await publish(api, p.pmo, hypercareTemplate()); // a valid one still publishes
    const refusal = async (template: Template) => {
      await api.call('PUT', `/api/templates/${template.key}/draft`, {
        token: p.pmo.token,
        body: template,
      });
      const reply = await api.call('POST', `/api/templates/${template.key}/publish`, {
        token: p.pmo.token,
      });
      expect(reply.status).toBe(422);
      return fieldErrors(reply);
    };
    const wordy = hypercareTemplate();
    wordy.nodes[0] = {
      ...wordy.nodes[0]!,
      description: 'x'.repeat(TEMPLATE_LIMITS.description + 1),
    };
    expect(await refusal(wordy)).toEqual(['draft.nodes.0.description: too_big']);
    // Many nodes, each within its caps: the whole is too big to travel with every run.
    const big = hypercareTemplate();
    const notes = Array.from({ length: 40 }, (_, i) => ({
      id: `note-${i}`,
      type: 'notify' as const,
      name: `Note ${i}`,
      to: ['ops'],
      message: 'm'.repeat(TEMPLATE_LIMITS.message),
    }));
    big.nodes = [...big.nodes, ...notes];
    big.edges = [
      { from: 'hypercare', to: 'note-0', on: 'done' },
      ...notes.slice(1).map((n, i) => ({ from: `note-${i}`, to: n.id, on: 'done' as const })),
      { from: 'note-39', to: 'pir', on: 'done' },
      { from: 'pir', to: 'done', on: 'done' },
    ];
    expect(await refusal(big)).toEqual(['draft: too_big']);
  });
});
