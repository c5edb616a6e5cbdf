/**
 * Bounded state on a real server (issue 8): the worst state the property test drives to
 * (test/lifecycle/bounded-state.property.test.ts) runs in a real workflow, which continues as
 * new with it (its input under 256 KiB, as Temporal records it), answers its Query, and
 * completes when the monitor is retired.
 */
import fc from 'fast-check';
import {
  projectWorkflowId,
  PROJECT_WORKFLOW,
  retireUpdate,
  stateQuery,
} from '../../workflows/messages';
import type { projectLifecycle } from '../../workflows';
import type { LifecycleInput } from '../../workflows/project-lifecycle';
import { INPUT_REVISION, LIMITS, type ProjectState } from '../../workflows/model';
import { shortTemplate } from '../fixtures/short-template';
import { bytes, heavy, worstUse } from '../lifecycle/worst-use';
import { connectTestTemporal, uniqueId } from '../support/temporal';
import { projectOf, setupProjects, type Projects } from './harness';

const LIMIT = 256 * 1024;
let projects: Projects;
beforeAll(async () => {
  projects = await setupProjects();
});
afterAll(async () => projects.stop());

/**
 * The state recorded in virtual time, moved to now: deadlines and the monitor's clock shift by
 * the same amount (a monitor started long ago would count its periods up to now).
 */
function rebased(state: ProjectState, now: number): ProjectState {
  const shift = now + 1000 - Math.min(...state.deadlines.map((d) => d.at));
  const nodes = Object.fromEntries(
    Object.entries(state.nodes).map(([id, rec]) => [
      id,
      rec.monitor
        ? {
            ...rec,
            monitor: {
              ...rec.monitor,
              nextReviewAt: rec.monitor.nextReviewAt + shift,
              ...(rec.monitor.startedAt !== undefined && {
                startedAt: rec.monitor.startedAt + shift,
              }),
            },
          }
        : rec,
    ]),
  );
  return { ...state, nodes, deadlines: state.deadlines.map((d) => ({ ...d, at: d.at + shift })) };
}

it('continues as new with the worst state, answers under 256 KiB and completes', async () => {
  const template = shortTemplate({ every: 3 });
  const [choices] = fc.sample(fc.array(fc.nat(), { minLength: 3000, maxLength: 3000 }), {
    seed: 20_260_808,
    numRuns: 1,
  });
  const worst = worstUse(template, choices!, 1000, (s) => s.current.includes('kpi-monitoring'));
  const { client } = await connectTestTemporal();
  const id = uniqueId('p-worst');
  const state = { ...rebased(worst.machine.state, Date.now()), id };
  expect(state.current).toEqual(['kpi-monitoring']);
  expect(state.issues).toHaveLength(LIMITS.issuesPerProject);
  const input: LifecycleInput = {
    ...worst.input,
    projectId: id,
    template: worst.machine.template,
    rev: INPUT_REVISION,
    options: { reviewsPerRun: 1 },
    continued: state,
  };
  expect(bytes(input)).toBeLessThan(LIMIT);
  const handle = await client.workflow.start<typeof projectLifecycle>(PROJECT_WORKFLOW, {
    taskQueue: projects.taskQueue,
    workflowId: projectWorkflowId(id),
    args: [input],
  });
  const project = projectOf(id, handle);
  const { runId: first } = await handle.describe();
  // The first review ends the run: the workflow continues as new with its whole state.
  await project.until((s) => (s.nodes['kpi-monitoring']?.monitor?.reviews ?? 0) >= 1, 90_000);
  let described = await handle.describe();
  for (let i = 0; i < 300 && described.runId === first; i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    described = await handle.describe();
  }
  expect(described.runId).not.toBe(first);
  const history = await handle.fetchHistory();
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  const recorded = (started?.input?.payloads ?? []).reduce((n, p) => n + (p.data?.length ?? 0), 0);
  console.log(`continue-as-new input as Temporal recorded it: ${(recorded / 1024).toFixed(1)} KiB`);
  expect(recorded).toBeGreaterThan(100 * 1024);
  expect(recorded).toBeLessThan(LIMIT);
  expect(bytes(await handle.query(stateQuery))).toBeLessThan(LIMIT);

  const retired = await project.act(retireUpdate, {
    actor: { userId: worst.input.participants['ops-manager']![0]! },
    reason: heavy(LIMITS.reason),
  });
  expect(retired.status).toBe('completed');
  const final = await handle.result();
  expect(final.status).toBe('completed');
  expect(bytes(final)).toBeLessThan(LIMIT);
});
