/**
 * `gatehouse template migrate` as users run it: against the stack's database, Temporal and
 * worker, projects named by id moved to a published version by the bulk migration job; the
 * ones that refuse printed with why (exit 1); a request it cannot start refused naming why.
 */
import { renamed } from '../fixtures/impact-drafts';
import { miniTemplate } from '../fixtures/mini-template';
import { databaseFactory } from '../support/databases';
import { bodyOf } from '../server/drive-http';
import { startApiStack, type ApiStack } from '../server/stack';
import { runGatehouse } from './spawn';
import { publishTemplate, stackEnv } from './stack-env';

const template = { ...miniTemplate, key: 'mini-cli-migrate' };
const participants = { pm: ['pat'], ops: ['olga', 'omar'], steering: ['sam'] };

let api: ApiStack;
let token: string;
const ids: string[] = [];
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  api = await startApiStack(databaseFactory('sqlite'));
  token = (await api.user('paula', { pmo: true })).token;
  for (const id of ['pat', 'olga', 'omar', 'sam']) await api.user(id);
  const publish = (body: typeof template) => publishTemplate(api, token, body);
  await publish(template);
  for (let i = 0; i < 3; i++) {
    const started = await api.call('POST', '/api/projects', {
      token,
      body: { name: `cli ${i}`, template: template.key, participants },
    });
    ids.push(bodyOf<{ id: string }>(started, 201, 'start').id);
  }
  await publish(renamed(template));
  env = stackEnv(api);
}, 60_000);
afterAll(async () => api?.stop());

const versionOf = async (id: string) =>
  bodyOf<{ template: { version: number } }>(
    await api.call('GET', `/api/projects/${id}`, { token }),
    200,
    'get',
  ).template.version;

it('migrates the projects named, then lists those that refuse with why', async () => {
  const first = await runGatehouse(
    env,
    'template',
    'migrate',
    template.key,
    '--version',
    '2',
    ids[0]!,
    ids[1]!,
  );
  expect([first.code, first.stdout.trim().split('\n').at(-1)]).toEqual([
    0,
    expect.stringMatching(new RegExp(`^${template.key} v2: 2 migrated, 0 failed \\(job .+\\)$`)),
  ]);
  expect([await versionOf(ids[0]!), await versionOf(ids[1]!), await versionOf(ids[2]!)]).toEqual([
    2, 2, 1,
  ]);

  const again = await runGatehouse(
    env,
    'template',
    'migrate',
    template.key,
    '--version',
    '2',
    ids[1]!,
    ids[2]!,
  );
  expect(again.code).toBe(1);
  const lines = again.stdout.trim().split('\n');
  expect(lines[0]).toMatch(
    new RegExp(`^${ids[1]}  failed  incompatible_version  .*already runs version 2`),
  );
  expect(lines.at(-1)).toMatch(`${template.key} v2: 1 migrated, 1 failed`);
  expect(again.errLines.at(-1)).toContain('1 project(s) were not migrated');
  // A refusal is the project's answer: nothing can settle late, so no re-check is suggested.
  expect(again.stderr).not.toContain('may still apply');
  expect(await versionOf(ids[2]!)).toBe(2);
});

it('refuses what it cannot start, naming why, and starts nothing', async () => {
  const none = await runGatehouse(env, 'template', 'migrate', template.key, '--version', '2');
  expect(none.code).toBe(1);
  expect(none.stderr).toContain('name the projects');
  const unknown = await runGatehouse(
    env,
    'template',
    'migrate',
    template.key,
    '--version',
    '7',
    ids[0]!,
  );
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toContain(
    'body.version: template "mini-cli-migrate" has no published version 7',
  );
  const jobs = await api.db.selectFrom('migration_jobs').select('id').execute();
  expect(jobs).toHaveLength(2);
});
