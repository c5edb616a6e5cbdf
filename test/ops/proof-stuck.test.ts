/**
 * What the proof reports of a stuck project (scripts/proof/stuck.ts): Temporal's view of its
 * workflow, here one whose first workflow task no worker has picked up, and the warnings and
 * errors the workers logged about it, not their other lines nor other projects' lines. The
 * run's dev server; a log file written as the workers write theirs.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stuckDiagnosis } from '../../scripts/proof/stuck';
import { projectWorkflowId } from '../../workflows/messages';
import { connectTestTemporal, uniqueId } from '../support/temporal';

it('names the pending workflow task and the project’s warnings and errors', async () => {
  const { client } = await connectTestTemporal();
  const projectId = uniqueId('stuck');
  const handle = await client.workflow.start('projectLifecycle', {
    workflowId: projectWorkflowId(projectId),
    taskQueue: uniqueId('nobody-polls'),
    args: [],
  });
  try {
    const dir = mkdtempSync(path.join(tmpdir(), 'proof-stuck-'));
    const line = (level: string, msg: string, id = projectId) =>
      JSON.stringify({ level, time: '2026-12-07T06:00:00.000Z', workflowId: `project-${id}`, msg });
    const file = path.join(dir, 'gatehouse-worker-1.log');
    writeFileSync(
      file,
      [
        '--- 2026-12-07T06:00:00.000Z sh container-entry.sh worker',
        line('info', 'worker running'),
        line('warn', 'Failing workflow task'),
        line('error', 'another project', 'other'),
        line('error', 'Workflow task failed'),
      ].join('\n'),
    );
    const lines = await stuckDiagnosis(client, projectId, [
      { name: 'gatehouse-worker-1', file },
      { name: 'gatehouse-worker-2', file: path.join(dir, 'never-written.log') },
    ]);
    expect(lines[0]).toMatch(/^temporal: RUNNING, \d+ events$/);
    expect(lines[1]).toMatch(/^temporal: a workflow task pending \(\S+, attempt 1\)$/);
    expect(lines.slice(2)).toEqual([
      `gatehouse-worker-1.log: ${line('warn', 'Failing workflow task')}`,
      `gatehouse-worker-1.log: ${line('error', 'Workflow task failed')}`,
    ]);
  } finally {
    await handle.terminate('test over');
  }
});

it('says so when Temporal cannot describe the workflow', async () => {
  const { client } = await connectTestTemporal();
  const lines = await stuckDiagnosis(client, uniqueId('never-started'), []);
  expect(lines).toEqual([expect.stringMatching(/^temporal: cannot describe the workflow \(.+\)$/)]);
});
