/**
 * Every project action of the model's action table, through one handler: the Update input
 * from the path and the body (and, for a migration, the template version it names), the
 * idempotency key looked up in the app database first (it answers after continue-as-new and
 * after the project closed too), then the Update, within the action time limit.
 */
import {
  findKey,
  getProjectState,
  getUsersByIds,
  getVersion,
  isDelegateFor,
  type FoundKey,
} from '../../db';
import {
  ACTIONS,
  IDEMPOTENCY_WINDOW,
  INPUT_REVISION,
  keyScope,
  requestFingerprint,
  updateIdOf,
  type ActionInput,
  type ActionName,
  type ActionResult,
} from '../../workflows/model';
import type { Ctx } from '../app';
import { actionDurationErrors } from '../duration-bounds';
import { HttpProblem, zodErrors } from '../problem';
import { refuseUnrunnable } from '../runnable-versions';
import { hydrateTexts, stringsOf } from './hydrate';

type AnyCtx = Ctx<unknown, unknown, unknown>;

/** Runs action `name` for the caller of `ctx`; answers what the route answers. */
export async function performAction(name: ActionName, ctx: AnyCtx): Promise<ActionResult> {
  const { deps, projects, user } = ctx;
  const { id, ...params } = ctx.params as { id: string } & Record<string, unknown>;
  const parsed = ACTIONS[name].input.safeParse({
    actor: { userId: user!.id, ...((user!.pmo || user!.admin) && { pmo: true }) },
    rev: INPUT_REVISION,
    ...params,
    ...(ctx.body ?? {}),
    ...(await extraOf(name, ctx, id)),
  });
  // Path and body passed the route's schemas: what is left is what the API added itself (a
  // stored template version today's rules refuse).
  if (!parsed.success) {
    throw new HttpProblem(
      422,
      'invalid_input',
      'the action cannot be sent as asked',
      zodErrors('body', parsed.error),
    );
  }
  const input = parsed.data;
  const tooLong = actionDurationErrors(input);
  if (tooLong.length > 0) {
    throw new HttpProblem(422, 'invalid_input', 'a due date too far off to track', tooLong);
  }
  await checkStandIn(ctx, id, input);
  const scope = keyScope(name, input);
  const fingerprint = scope && requestFingerprint(name, input);
  let stored: FoundKey | undefined;
  if (scope && fingerprint) {
    const since = Date.now() - IDEMPOTENCY_WINDOW.ms;
    stored = await findKey(deps.db, id, scope, since);
    // A key the history may not hold yet (its workflow task may still fail: db/fences.ts) is
    // answered by the workflow itself, which knows its keys; the stored one only once the
    // project has closed (its last write was then part of the history).
    if (stored?.settled && stored.fp !== fingerprint) throw reused();
    if (stored?.settled) return replay(ctx, id, stored.result);
  }
  let result: ActionResult;
  try {
    result = await projects.act(
      id,
      name,
      input,
      scope && fingerprint ? updateIdOf(name, scope, fingerprint) : undefined,
    );
  } catch (error) {
    if (!stored || !(error instanceof HttpProblem) || error.code !== 'project_closed') throw error;
    if (stored.fp !== fingerprint) throw reused();
    return replay(ctx, id, stored.result);
  }
  // The workflow answered the key itself (or Temporal joined the first Update): when that is
  // the stored answer, it is a repeat, marked as one like an answer from the database.
  if (stored && stored.fp === fingerprint && result.seq === stored.result.seq && !result.replayed) {
    result = { ...result, replayed: true };
  }
  return withTexts(ctx, id, result, input);
}

/**
 * A vote cast for someone else: only while that participant delegates this project to the
 * caller (the workflow then checks that participant's roles and counts the vote as theirs).
 */
async function checkStandIn(ctx: AnyCtx, id: string, input: ActionInput): Promise<void> {
  if (!('onBehalfOf' in input) || input.onBehalfOf === undefined) return;
  const delegatorId = input.onBehalfOf;
  if (delegatorId === ctx.user!.id) return;
  const at = Date.now();
  if (
    await isDelegateFor(ctx.deps.db, { delegateId: ctx.user!.id, delegatorId, projectId: id, at })
  ) {
    return;
  }
  const message = `${delegatorId} has not delegated this project to you for now`;
  throw new HttpProblem(403, 'not_delegate', message, [
    { path: ['body', 'onBehalfOf'], code: 'not_delegate', message },
  ]);
}

/** What the API adds to the input besides path and body (and what it checks in its database). */
async function extraOf(name: ActionName, ctx: AnyCtx, id: string) {
  if (name === 'reassign') {
    const { to } = ctx.body as { to: string };
    const [user] = await getUsersByIds(ctx.deps.db, [to]);
    if (!user || !user.active) {
      const [code, message] = user
        ? ['inactive_user', `${user.name} is deactivated`]
        : ['unknown_user', `no user "${to}"`];
      throw new HttpProblem(422, code, message, [{ path: ['body', 'to'], code, message }]);
    }
    return {};
  }
  if (name !== 'migrate') return {};
  const { version } = ctx.body as { version: number };
  const state = await getProjectState(ctx.deps.db, id);
  const target = state && (await getVersion(ctx.deps.db, state.template.key, version));
  if (!target) {
    const message = `no published version ${version} of this project's template`;
    throw new HttpProblem(422, 'unknown_version', message, [
      { path: ['body', 'version'], code: 'unknown_version', message },
    ]);
  }
  refuseUnrunnable(target.template, version, ['body', 'version']);
  return { template: target.template };
}

/** The first answer again, with the node as it is now (the read model's), marked replayed. */
async function replay(
  ctx: AnyCtx,
  id: string,
  first: Omit<ActionResult, 'node' | 'replayed'>,
): Promise<ActionResult> {
  const state = await getProjectState(ctx.deps.db, id);
  const node = first.nodeId !== undefined ? state?.nodes[first.nodeId] : undefined;
  return withTexts(ctx, id, { ...first, ...(node && { node }), replayed: true });
}

async function withTexts(
  ctx: AnyCtx,
  id: string,
  result: ActionResult,
  input?: ActionInput,
): Promise<ActionResult> {
  if (!result.node) return result;
  const node = await hydrateTexts(ctx.deps.db, id, result.node, input ? stringsOf(input) : []);
  return { ...result, node };
}

function reused(): HttpProblem {
  const message =
    'this idempotency key was already used by you for this action with another body; ' +
    'use a new key for a new request';
  return new HttpProblem(422, 'idempotency_key_reused', message, [
    { path: ['body', 'idempotencyKey'], code: 'idempotency_key_reused', message },
  ]);
}
