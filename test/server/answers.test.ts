/**
 * Every answer the server tests see is checked against the OpenAPI document
 * (test/support/answer-check.ts, installed by the test stack). Here: that the check catches a
 * wrong answer — from the real app over HTTP, and answer by answer — and lets a right one pass.
 */
import { sql } from 'kysely';
import type { Answer } from '../../server/answers';
import { openApiDocument } from '../../server/openapi';
import { createAnswerChecker } from '../support/answer-check';
import { databaseFactory } from '../support/databases';
import { startApiStack, type ApiStack } from './stack';

let api: ApiStack;

beforeAll(async () => {
  api = await startApiStack(databaseFactory('sqlite'), {}, { worker: false });
});
afterAll(async () => api?.stop());

const user = {
  id: 'u1',
  name: 'Ann',
  email: 'ann@example.test',
  pmo: false,
  admin: false,
  active: true,
  createdAt: 1,
};
const answer = (fields: Partial<Answer>): Answer => ({
  route: 'me',
  method: 'GET',
  url: '/api/me',
  status: 200,
  contentType: 'application/json',
  body: JSON.stringify(user),
  ...fields,
});
const entry = { projectId: 'p1', seq: 1, at: 1, actor: 'u1', action: 'started' };
const audit = (item: object) =>
  answer({
    route: 'audit',
    url: '/api/projects/p1/audit',
    body: JSON.stringify({ items: [item] }),
  });
const problem = (status: number, code: string) =>
  JSON.stringify({ type: 't', title: 'x', status, detail: 'd', code, errors: [] });

describe('the answer check', () => {
  const checker = createAnswerChecker();

  it('passes an answer as declared', () => {
    checker.inspect(answer({}));
    checker.inspect(
      answer({
        status: 401,
        contentType: 'application/problem+json',
        body: problem(401, 'unauthorized'),
      }),
    );
    checker.inspect(
      answer({
        route: 'revokeToken',
        method: 'DELETE',
        status: 204,
        body: undefined,
        contentType: undefined,
      }),
    );
    expect(checker.take()).toEqual([]);
  });

  it('passes any keys in an open map (the `detail` of an audit entry)', () => {
    checker.inspect(audit({ ...entry, detail: { anything: { nested: [1] }, else: null } }));
    expect(checker.take()).toEqual([]);
  });

  it.each([
    ['a field missing', answer({ body: JSON.stringify({ ...user, email: undefined }) }), /email/],
    ['a field of the wrong type', answer({ body: JSON.stringify({ ...user, pmo: 'no' }) }), /pmo/],
    ['a status not declared', answer({ status: 409, body: problem(409, 'x') }), /status 409/],
    [
      'a problem code its status does not list',
      answer({
        status: 401,
        contentType: 'application/problem+json',
        body: problem(401, 'email_taken'),
      }),
      /code/,
    ],
    ['a content type not declared', answer({ contentType: 'text/html' }), /content type/],
    ['a body that is not JSON', answer({ body: '<html>' }), /not JSON/],
    [
      'a property the document does not declare',
      answer({ body: JSON.stringify({ ...user, secret: 's' }) }),
      /^me: GET \/api\/me → 200: \/secret is not declared$/,
    ],
    [
      'an undeclared property deep in an answer',
      audit({ ...entry, note: 'n' }),
      /^audit: .* → 200: \/items\/0\/note is not declared$/,
    ],
    [
      'an undeclared property in a problem',
      answer({
        status: 401,
        contentType: 'application/problem+json',
        body: JSON.stringify({ ...JSON.parse(problem(401, 'unauthorized')), hint: 'h' }),
      }),
      /→ 401: \/hint is not declared$/,
    ],
    [
      'a body where none is declared',
      answer({ route: 'revokeToken', method: 'DELETE', status: 204, body: '{}' }),
      /none is declared/,
    ],
  ])('catches %s', (_what, wrong, message) => {
    checker.inspect(wrong);
    const found = checker.take();
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });
});

describe('the test stack', () => {
  it('fails a call whose answer the document does not declare', async () => {
    const { token } = await api.user('tia');
    expect((await api.call('GET', '/api/me/tokens', { token })).status).toBe(200);
    // A token kind the contract does not know, as a database edited by hand could hold.
    await sql`update api_tokens set kind = 'legacy' where user_id = 'tia'`.execute(api.db);
    await expect(api.call('GET', '/api/me/tokens', { token })).rejects.toThrow(
      /GET \/api\/me\/tokens → 200: \/items\/0\/kind must be equal to one of the allowed values/,
    );
    await sql`update api_tokens set kind = 'api' where user_id = 'tia'`.execute(api.db);
  });

  it('checks what the real app answers, against the document it is given', async () => {
    const document = openApiDocument() as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    // A document that asks more of GET /api/me than the app answers.
    document.paths['/api/me']!.get!.responses['200'] = {
      description: 'Success',
      content: {
        'application/json': { schema: { type: 'object', required: ['nickname'] } },
      },
    };
    const strict = createAnswerChecker(document);
    const stack = await startApiStack(
      databaseFactory('sqlite'),
      { inspectAnswer: strict.inspect },
      { worker: false },
    );
    try {
      const { token } = await stack.user('uma');
      expect((await stack.call('GET', '/api/me', { token })).status).toBe(200);
      expect(strict.take()).toEqual([
        "me: GET /api/me → 200: / must have required property 'nickname'",
      ]);
    } finally {
      await stack.stop();
    }
  });
});
