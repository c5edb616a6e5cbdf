/**
 * The project actions as routes of the one route table (server/contract.ts `routes`): each
 * entry of the model's action table, answering the action's result, with the refusals it may
 * answer.
 */
import { REJECTIONS } from '../workflows/model';
import type { ProblemCodes } from './contract-fields';
import { ActionResult } from './contract-responses';

/**
 * What an action may answer besides the problems of every route: the interpreter's refusals
 * (the model's REJECTIONS, each at its status) and the API's own checks before the Update.
 */
const ACTION_PROBLEMS: ProblemCodes = (() => {
  const out: Record<number, string[]> = {
    403: ['not_delegate'],
    409: ['project_closed', 'project_terminated'],
    422: ['unknown_user', 'inactive_user', 'unknown_version', 'invalid_template', 'invalid_input'],
    503: ['temporal_unavailable', 'project_timeout'],
  };
  for (const [code, status] of Object.entries(REJECTIONS)) (out[status] ??= []).push(code);
  return out;
})();

/** The action table's routes, each answering the action's result. */
export function actionRoutes<A extends Record<string, object>>(actions: A) {
  return Object.fromEntries(
    Object.entries(actions).map(([name, row]) => [
      name,
      { ...row, response: ActionResult, problems: ACTION_PROBLEMS },
    ]),
  ) as { [K in keyof A]: A[K] & { response: typeof ActionResult; problems: ProblemCodes } };
}
