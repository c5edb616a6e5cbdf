/**
 * Replays the histories recorded from the workflow tests (RECORD_HISTORIES=1, see
 * test/workflows/harness.ts) against the current workflow code. A change that would make a
 * running project's history diverge fails here before it reaches a worker.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DeterminismViolationError } from '@temporalio/workflow';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker, type ReplayResult } from '@temporalio/worker';
import { recordSinks } from '../../worker/create-worker';
import { requireTestEnv, TEST_ENV } from '../support/env';

const HISTORIES = path.join(__dirname, 'histories');

function histories() {
  return readdirSync(HISTORIES)
    .filter((f) => f.endsWith('.binpb'))
    .sort()
    .map((file) => ({
      workflowId: file.replace(/\.binpb$/, ''),
      history: temporal.api.history.v1.History.decode(readFileSync(path.join(HISTORIES, file))),
    }));
}

/**
 * Replays with production's record sinks, so a workflow's settle at the end of a replayed
 * history meets a registered sink, not an error log. A replay worker never calls one
 * (`callDuringReplay: false`): the write behind it is never reached.
 */
async function replayAll(options: Parameters<typeof Worker.runReplayHistories>[0]) {
  const sinks = recordSinks({
    writeBatch: () => Promise.reject(new Error('a replay worker writes no records')),
  });
  const results: ReplayResult[] = [];
  for await (const result of Worker.runReplayHistories({ sinks, ...options }, histories()))
    results.push(result);
  return results;
}

const SCENARIOS = [
  'full-lifecycle',
  'recycle',
  'hold-resume',
  'kill',
  'quorum-and-refusals',
  'hypercare-extension',
  'hypercare-exit',
  'conditional-go-missed',
  'monitor-continued-run',
  'migration',
];

/** Scenarios only the current code has recorded. */
const CURRENT_ONLY = ['conditions-keys-texts', 'delegation-reassign'];
/** Scenarios of behaviour newer than the v5-* set, recorded by the current code only. */
const NEWER = [
  'metrics-kpi-review',
  'hypercare-issue-ladder',
  'pir-review-actions',
  'handoff-readiness',
  'delivery-cost',
  'bulk-migration',
  // Several Updates in one activation, the outbox woken by push (patch "outbox-push-wake").
  'outbox-push-wake',
  // A job recorded before its projects had a budget (patch "migration-bounded"), kept as it
  // was; and one whose first project is given up when its budget is spent.
  'bulk-migration-unbounded',
  'bulk-migration-bounded',
  // Feedback handed over on a reassign, and its notices (patch "feedback-handover").
  'feedback-handover',
  // A template looping back into its monitor: the second visit's follow-ups named apart from
  // the first's (patch "kpi-follow-up-visits"), its reviews numbered from #1 again as before
  // patch "revisit-counts"; kept as it was, never recorded again.
  'kpi-follow-up-visits',
  // The same loop numbering the second visit's reviews on from the first's, and a review
  // entered again taking its decisions up to the cap of each visit (patch "revisit-counts").
  'revisit-counts',
  'revisit-counts-review',
  // A bulk migration's Update refused past its notAfter, then one applied within it (patch
  // "migration-deadline"); and one past its notAfter that a worker without the patch applied,
  // recorded by that code and kept as it was.
  'migration-deadline',
  'migration-deadline-unpatched',
  // A cost over the budget, still over, back within and over again: two alerts (patch
  // "over-budget-alert").
  'over-budget-alert',
  // A job whose project's time ran out during an attempt, given up `retries_exhausted` (patch
  // "migration-out-of-time"); and the same recorded by the code before it (`migration_error`).
  'migration-out-of-time',
  'migration-out-of-time-unpatched',
  // An agreement refused for naming metrics changed since, then one naming them as they stand
  // (patch "metrics-as-seen"); and one naming a stale version that the code before the field
  // applied (its schema stripped the key), recorded by that code and kept as it was.
  'metrics-as-seen',
  'metrics-as-seen-unpatched',
  // A KPI value outside its metric's range refused, then one within recorded (patch
  // "kpi-in-range"); and one outside that the code before the patch recorded, kept as it was.
  'kpi-in-range',
  'kpi-in-range-unpatched',
  // An issue raised, taken on and resolved by three people: the raiser and whoever took it on
  // told (patch "issue-resolved-notice"); and the same recorded by the code before it (nobody
  // told), kept as it was.
  'issue-resolved-notice',
  'issue-resolved-notice-unpatched',
  // An unaccepted hypercare exit escalating with who must accept and who can act (run-level
  // patch "hypercare-exit-notices"); hypercare-exit is its run begun before the patch.
  'hypercare-exit-notices',
  // A KPI reading dated in 2030 refused, then one dated yesterday recorded (patch
  // "kpi-not-future"); kpi-inputs-unpatched holds one dated 2030 that the code before applied,
  'kpi-not-future',
  'kpi-inputs-unpatched',
  // A stand-in doing the only reviewer's KPI review for them (patch "kpi-review-delegation");
  // kpi-inputs-unpatched holds a review carrying onBehalfOf applied as the sender's own.
  'kpi-review-delegation',
  // A project started at the time its input carries, the API's (patch "input-start-time").
  'input-start-time',
];

it('has recorded histories of every lifecycle scenario, current and from earlier code', () => {
  // Projects started under earlier code are still running somewhere and must keep replaying:
  // v1-* were recorded before workers reported their configured notification channels, v2-*
  // before the single deadline timer (patch "single-deadline-timer"), v3-* before monitor
  // reviews were counted from the monitor's start (state carried over by continue-as-new
  // without `startedAt`/`period`) and before the deadline loop slept through Updates, v4-*
  // before INPUT_REVISION (Update inputs without `rev`: severity 3 critical, keys matched by
  // key alone, texts in the state, conditions of a PIR or hypercare-exit go dropped), v5-*
  // before versioned project state (state without `version`) and before record writes of at
  // most 8 s retried on timers.
  const ids = histories().map((h) => h.workflowId);
  const earlier = ['v1', 'v2', 'v3', 'v4'].flatMap((v) => SCENARIOS.map((s) => `${v}-${s}`));
  const v5 = [...SCENARIOS, ...CURRENT_ONLY].map((s) => `v5-${s}`);
  expect(ids).toEqual(
    expect.arrayContaining([...SCENARIOS, ...CURRENT_ONLY, ...NEWER, ...earlier, ...v5]),
  );
});

it('covers the deadline timer dropped with none started (every deadline gone at once)', () => {
  // Kept covered so a change to that path (workflows/deadline-timer.ts) fails a replay here: in
  // quorum-and-refusals, completing the stage cancels its deadline's timer and starts none. A
  // timer moved to a new instant starts the new one in the same task, so a task that cancels
  // and starts nothing is the drop.
  const { EventType } = temporal.api.enums.v1;
  const drops = (id: string) => {
    const events = histories().find((h) => h.workflowId === id)?.history.events ?? [];
    let count = 0;
    let task: { canceled: boolean; started: boolean } | undefined;
    const close = () => (count += task?.canceled && !task.started ? 1 : 0);
    for (const { eventType } of events) {
      if (eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
        close();
        task = { canceled: false, started: false };
      } else if (eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED) {
        close();
        task = undefined;
      } else if (task && eventType === EventType.EVENT_TYPE_TIMER_CANCELED) task.canceled = true;
      else if (task && eventType === EventType.EVENT_TYPE_TIMER_STARTED) task.started = true;
    }
    close();
    return count;
  };
  expect(drops('quorum-and-refusals')).toBeGreaterThan(0);
  expect(drops('full-lifecycle')).toBeGreaterThan(0);
});

it('replays every recorded history against the current workflow code', async () => {
  const results = await replayAll({
    workflowBundle: { codePath: requireTestEnv(TEST_ENV.workflowBundle) },
  });
  expect(results.map((r) => [r.workflowId, r.error?.message])).toEqual(
    results.map((r) => [r.workflowId, undefined]),
  );
  expect(results.length).toBe(histories().length);
});

it('fails when the workflow code changes non-deterministically', async () => {
  const code = await bundleWorkflowCode({
    workflowsPath: require.resolve('./altered/workflows'),
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    },
  });
  const results = await replayAll({ workflowBundle: code });
  expect(results.length).toBeGreaterThan(0);
  for (const result of results) expect(result.error).toBeInstanceOf(DeterminismViolationError);
});
