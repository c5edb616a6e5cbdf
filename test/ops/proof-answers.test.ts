/**
 * The proof's judgement of the answers its client got: 503s while a part was down are
 * expected, a few slow actions (503 project_timeout with nothing down) are counted but allowed,
 * anything else fails the run, with the API's log lines for the request.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkAnswers } from '../../scripts/proof/answers';
import type { Tally } from '../../scripts/proof/checks';
import type { Attempt, ProofClient } from '../../scripts/proof/client';

const DOWN: [number, number] = [10_000, 20_000];

function attempt(at: number, status: number, extra: Partial<Attempt> = {}): Attempt {
  return { at, endedAt: at + 500, endpoint: 'api-1', what: `action ${at}`, status, ...extra };
}

function judge(attempts: Attempt[], logs: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'proof-answers-'));
  for (const [name, text] of Object.entries(logs))
    writeFileSync(path.join(dir, `${name}.log`), text);
  const said: string[] = [];
  const tally: Tally = { lost: 0, duplicated: 0, stuck: 0, failures: [] };
  checkAnswers(
    {
      client: { attempts } as ProofClient,
      downWindows: [DOWN],
      logFile: (name) => path.join(dir, `${name}.log`),
      say: (line) => said.push(line),
    },
    tally,
  );
  return { failures: tally.failures, said: said.join('\n') };
}

const fine = Array.from({ length: 300 }, (_, i) => attempt(30_000 + i, 200));

it('allows 503s and lost connections while a part was down, and nothing else', () => {
  expect(
    judge([...fine, attempt(12_000, 503), attempt(19_800, 0, { error: 'ECONNRESET' })]).failures,
  ).toEqual([]);
  const { failures } = judge(
    [...fine, attempt(25_000, 500, { problem: 'internal', requestId: 'r-1' })],
    { 'api-1': 'x\n{"requestId":"r-1","err":{"type":"TypeError"}}\n{"requestId":"r-2"}\n' },
  );
  expect(failures).toHaveLength(1);
  expect(failures[0]).toContain('action 25000 on api-1: 500 internal after 0.5 s');
  expect(failures[0]).toContain('(nothing was down)');
  // The API's own line for that request, so the report says why.
  expect(failures[0]).toContain('api-1.log: {"requestId":"r-1","err":{"type":"TypeError"}}');
  expect(failures[0]).not.toContain('r-2');
});

it('counts a few slow actions apart, and fails when there are many or one keeps timing out', () => {
  const slow = (at: number, what = `action ${at}`) =>
    attempt(at, 503, { problem: 'project_timeout', what, endedAt: at + 10_000 });
  const few = judge([...fine, slow(40_000), slow(50_000), slow(60_000)]);
  expect(few.failures).toEqual([]);
  expect(few.said).toContain('3 slow (503 project_timeout with nothing down, retried)');
  expect(few.said).toContain('0 wrong');
  // A 503 of another kind with nothing down is wrong even when there are few.
  expect(
    judge([...fine, attempt(40_000, 503, { problem: 'temporal_unavailable' })]).failures,
  ).toHaveLength(1);
  const many = judge([...fine, ...Array.from({ length: 4 }, (_, i) => slow(40_000 + i * 1000))]);
  expect(many.failures[0]).toMatch(/^4 actions answered 503 project_timeout with nothing down/);
  const stalled = judge([
    ...fine,
    slow(40_000, 'stuck'),
    slow(51_000, 'stuck'),
    slow(62_000, 'stuck'),
  ]);
  expect(stalled.failures[0]).toMatch(/^3 actions answered 503 project_timeout/);
});

it('explains an action held up by Temporal itself by its log, for that project only', () => {
  // Epoch ms for the log's timestamps: the attempts are placed in real time.
  const t0 = Date.parse('2026-12-04T17:56:30.000Z');
  const held = (at: number, requestId: string) =>
    attempt(t0 + at, 503, {
      problem: 'project_timeout',
      what: 'deliverable of p-1',
      endedAt: t0 + at + 10_000,
      requestId,
    });
  const fineNow = fine.map((a) => ({ ...a, at: t0 + 100_000, endedAt: t0 + 100_500 }));
  const api = ['r-1', 'r-2', 'r-3']
    .map((id) => `{"requestId":"${id}","projectId":"p-1","res":{"status":503}}`)
    .join('\n');
  const stall = (project: string) =>
    `{"level":"warn","ts":"2026-12-04T17:56:36.132Z","msg":"Unable to add WorkflowTask directly to matching.","wf-id":"project-${project}","error":"context deadline exceeded"}`;
  const attempts = [...fineNow, held(0, 'r-1'), held(11_000, 'r-2'), held(22_000, 'r-3')];

  const explained = judge(attempts, { 'api-1': api, temporal: `x\n${stall('p-1')}\n` });
  expect(explained.failures).toEqual([]);
  expect(explained.said).toContain('0 slow (503 project_timeout with nothing down, retried)');
  expect(explained.said).toContain('3 stalled by Temporal');
  expect(explained.said).toContain('0 wrong');

  // Temporal's trouble with another project explains nothing: one action timed out 3 times.
  const other = judge(attempts, { 'api-1': api, temporal: `${stall('p-2')}\n` });
  expect(other.failures[0]).toMatch(/^3 actions answered 503 project_timeout/);
  // Without a Temporal log the same.
  expect(judge(attempts, { 'api-1': api }).failures[0]).toMatch(/^3 actions answered 503/);
});

it('says when a saturation came, over how many projects, and what Temporal logged meanwhile', () => {
  const t0 = Date.parse('2026-12-07T08:50:50.000Z');
  const slow = (at: number, project: string) =>
    attempt(t0 + at, 503, {
      problem: 'project_timeout',
      what: `${project} signoff`,
      endedAt: t0 + at + 10_000,
    });
  const fineNow = fine.map((a) => ({ ...a, at: t0 + 100_000, endedAt: t0 + 100_500 }));
  const line = (at: string, level: string, msg: string) =>
    `{"level":"${level}","ts":"2026-12-07T${at}Z","msg":"${msg}","wf-id":"project-x"}`;
  const temporal = [
    line('08:50:40.000', 'warn', 'Slow gRPC call'), // before the span
    line('08:51:00.000', 'warn', 'Slow gRPC call'),
    line('08:51:10.000', 'error', 'Operation failed with internal error.'),
    line('08:51:20.000', 'warn', 'Slow gRPC call'),
    line('08:51:21.000', 'info', 'history shard acquired'), // not trouble
    line('08:52:30.000', 'warn', 'Fail to process task'), // after it
  ].join('\n');
  const { failures } = judge(
    [...fineNow, slow(0, 'p-1'), slow(10_000, 'p-2'), slow(20_000, 'p-2'), slow(30_000, 'p-3')],
    { temporal },
  );
  expect(failures[0]).toMatch(/^4 actions answered 503 project_timeout with nothing down/);
  expect(failures[0]).toContain(
    'from 2026-12-07T08:50:50.000Z to 2026-12-07T08:51:30.000Z, 3 projects; ' +
      "Temporal's log meanwhile: 2× Slow gRPC call, 1× Operation failed with internal error.",
  );
  expect(failures[0]).not.toContain('shard acquired');
  expect(failures[0]).not.toContain('Fail to process task');
  // Without a Temporal log the span is still named.
  expect(
    judge([...fineNow, ...[0, 1, 2, 3].map((i) => slow(i * 1000, 'p-1'))]).failures[0],
  ).toContain("1 project; Temporal's log meanwhile: no warning");
});
