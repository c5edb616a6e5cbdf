/**
 * Many actions at once on one project: every one is answered 2xx (or refused for a reason of
 * the client's) and recorded exactly once. Under this load Temporal sometimes rejects an Update
 * its workflow task did not take (`UnprocessedUpdate`, nothing applied): the API sends it again
 * rather than answering 500 for an action the project never saw.
 */
import { databaseFactory } from '../support/databases';
import { createCast, PARTICIPANTS, ProjectMaker, type Cast } from './cast';
import { startApiStack, type ApiStack, type Reply } from './stack';

const EACH = 40;
let api: ApiStack;
let cast: Cast;

beforeAll(async () => {
  // Time enough for every action on two busy cores: a 503 would leave unsure what was applied.
  api = await startApiStack(databaseFactory('sqlite'), { actionTimeoutMs: 60_000 });
  cast = await createCast(api);
});
afterAll(async () => api?.stop());

const auditLength = async (id: string) =>
  (
    (await api.call('GET', `/api/projects/${id}/audit?limit=200`, { token: cast.tokens[cast.pmo] }))
      .body.items as unknown[]
  ).length;

it(`answers ${2 * EACH} actions sent at once on one project, and records each once`, async () => {
  const { id } = await new ProjectMaker(api, cast).make('hypercare');
  const users = Object.values(PARTICIPANTS);
  const before = await auditLength(id);
  const sent: Promise<Reply>[] = [];
  for (let i = 0; i < EACH; i++) {
    const token = cast.tokens[users[i % users.length]!]!;
    const post = (path: string, body: unknown) =>
      api.call('POST', `/api/projects/${id}${path}`, { token, body });
    sent.push(post('/feedback', { kind: 'lesson', text: `Lesson ${i}` }));
    sent.push(post('/issues', { severity: 3, title: `Issue ${i}` }));
  }
  const replies = await Promise.all(sent);
  const statuses = replies.map((r) => `${r.status} ${r.body?.code ?? ''}`);
  expect(statuses.filter((s) => !s.startsWith('201'))).toEqual([]);
  // Each action writes one audit entry, in the same write as its answer.
  expect(await auditLength(id)).toBe(before + 2 * EACH);
});
