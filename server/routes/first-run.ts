/**
 * `GET /api/first-run`: the PMO's first-run checklist (issue 10, item 4) — design a gate,
 * publish, start a project, have an approver sign, watch hypercare escalate — each step ticked
 * off from what really happened (db/first-run.ts), with when.
 */
import { firstRunFacts } from '../../db';
import { PRACTICE_KEY, PRACTICE_SECONDS_PER_WEEK } from '../../workflows/model';
import type { Handlers } from '../app';
import { FIRST_RUN_STEPS, type FirstRunStep } from '../contract';

export const firstRunHandlers: Handlers<'firstRun'> = {
  async firstRun({ deps, user }) {
    const facts = await firstRunFacts(deps.db, user!.id, PRACTICE_KEY);
    const when: Record<FirstRunStep, { at: number; projectId?: string } | undefined> = {
      design: facts.designed === undefined ? undefined : { at: facts.designed },
      publish: facts.published === undefined ? undefined : { at: facts.published },
      start: facts.started,
      sign: facts.signed,
      escalate: facts.escalated,
    };
    const steps = FIRST_RUN_STEPS.map((key) => {
      const done = when[key];
      return { key, done: done !== undefined, ...done };
    });
    return {
      steps,
      complete: steps.every((s) => s.done),
      ...(facts.project && { project: facts.project }),
      practice: { template: PRACTICE_KEY, secondsPerWeek: PRACTICE_SECONDS_PER_WEEK },
    };
  },
};
