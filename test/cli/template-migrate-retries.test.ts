/**
 * `gatehouse template migrate` while projects are retried: its progress names each project
 * being retried with its attempt and last error, one line each time that changes (not on
 * every poll), and how many are settled each time that count moves; the summary lists a
 * project given up with its reason, and it exits 1. The failures are the stack worker's real
 * dependency failing for those projects: one answers after three failed attempts, one fails
 * twice and then beyond retrying.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { MigrateProject } from '../../activities';
import { migrateThroughWorker } from '../../worker/project-updates';
import { renamed } from '../fixtures/impact-drafts';
import { miniTemplate } from '../fixtures/mini-template';
import { databaseFactory } from '../support/databases';
import { bodyOf } from '../server/drive-http';
import { startApiStack, type ApiStack } from '../server/stack';
import { runGatehouse } from './spawn';
import { publishTemplate, stackEnv } from './stack-env';

const template = { ...miniTemplate, key: 'mini-cli-retries' };
const participants = { pm: ['pat'], ops: ['olga', 'omar'], steering: ['sam'] };
const UNREACHABLE = "the project's worker does not answer (the Update timed out)";
const BROKEN = "the project's workflow cannot take the Update (non-determinism)";

/** Failed calls so far, per project; `plans` says how each project's calls go. */
const calls = new Map<string, number>();
const plans = new Map<string, (call: number) => 'answer' | 'retryable' | 'final'>();
const migrateProject: MigrateProject = async (projectId, input, updateId) => {
  const call = (calls.get(projectId) ?? 0) + 1;
  calls.set(projectId, call);
  const plan = plans.get(projectId)?.(call) ?? 'answer';
  if (plan === 'retryable') throw new Error(UNREACHABLE);
  if (plan === 'final') throw ApplicationFailure.nonRetryable(BROKEN);
  return migrateThroughWorker(projectId, input, updateId);
};

let api: ApiStack;
let token: string;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  api = await startApiStack(databaseFactory('sqlite'), {}, { activities: { migrateProject } });
  token = (await api.user('paula', { pmo: true })).token;
  for (const id of ['pat', 'olga', 'omar', 'sam']) await api.user(id);
  await publishTemplate(api, token, template);
  env = stackEnv(api);
}, 60_000);
afterAll(async () => api?.stop());

const start = async (name: string) =>
  bodyOf<{ id: string }>(
    await api.call('POST', '/api/projects', {
      token,
      body: { name, template: template.key, participants },
    }),
    201,
    'start',
  ).id;

it('prints each project being retried once per change, then the one given up with why', async () => {
  const slow = await start('answers at the fourth attempt');
  const broken = await start('fails beyond retrying at the third');
  plans.set(slow, (call) => (call <= 3 ? 'retryable' : 'answer'));
  plans.set(broken, (call) => (call <= 2 ? 'retryable' : 'final'));
  await publishTemplate(api, token, renamed(template));

  const run = await runGatehouse(
    env,
    'template',
    'migrate',
    template.key,
    '--version',
    '2',
    slow,
    broken,
  );

  // Progress: a line per project each time its attempt or last error changed, in order.
  const retried = (id: string) =>
    run.errLines.filter((l) => l.startsWith(`gatehouse: ${id}  being retried  `));
  for (const id of [slow, broken]) {
    const lines = retried(id);
    expect(lines.length).toBeGreaterThan(0);
    expect(new Set(lines).size).toBe(lines.length);
    // (The last attempt's row may be seen in the moment before it is settled.)
    const error = `(${escape(UNREACHABLE)}|${escape(BROKEN)})`;
    for (const line of lines) {
      expect(line).toMatch(new RegExp(`  attempt [1-4]  last error: ${error}$`));
    }
    const attempts = lines.map((l) => Number(/attempt (\d+)/.exec(l)![1]));
    expect(attempts).toEqual([...attempts].sort((a, b) => a - b));
  }
  expect(retried(slow).some((l) => l.includes('attempt 3'))).toBe(true);
  // How many are settled is said when it moves, not on every poll while the retries run.
  const settled = run.errLines
    .map((l) => /^gatehouse: (\d) of 2 settled$/.exec(l)?.[1])
    .filter((n) => n !== undefined)
    .map(Number);
  expect(settled.at(-1)).toBe(2);
  expect(settled).toEqual([...new Set(settled)].sort());

  // The summary: the project given up with its attempts and last error; exit 1.
  const out = run.stdout.trim().split('\n');
  expect(out).toEqual([
    `${broken}  failed  migration_error  gave up after 3 attempts; the last error: ${BROKEN}`,
    expect.stringMatching(new RegExp(`^${template.key} v2: 1 migrated, 1 failed \\(job .+\\)$`)),
  ]);
  expect(run.code).toBe(1);
  // Where to look again: a project given up may still settle late.
  const job = /\(job (.+)\)$/.exec(out.at(-1)!)![1];
  expect(run.errLines.at(-2)).toBe(
    'gatehouse: a project given up may still apply its Update within 5 minutes and be ' +
      `counted migrated (settledLate); re-check with GET /api/templates/${template.key}/migrations/${job}`,
  );
  expect(run.errLines.at(-1)).toContain('1 project(s) were not migrated');
}, 90_000);

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
