/**
 * One project of the chaos run, driven over the HTTP API as its participants would: started by
 * the PMO (with an Idempotency-Key header), then every step of the template's happy path
 * (bench/plan.ts: deliverables, stage completions, every sign-off, a hypercare issue raised and
 * resolved, the early exit, the PIR, retiring the monitor), each with an idempotency key, each
 * retried by the client until it is answered. What was accepted is recorded for the checks.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { happyPath } from '../../bench/plan';
import type { ActionResult, Command, Participants, Template } from '../../workflows/model';
import { GaveUp, type ProofClient } from './client';

export interface Cast {
  template: Template;
  participants: Participants;
  pmo: { id: string; token: string };
  tokens: Record<string, string>;
}

/** An action the API accepted, as the audit trail must show it exactly once. */
export interface Accepted {
  action: string;
  actor: string;
  nodeId?: string;
  /** What tells it from others of its kind on the node: a deliverable's id, readiness items. */
  item?: string;
}

export interface ProjectRun {
  name: string;
  /** The id the API answered for the start. */
  id?: string;
  accepted: Accepted[];
  /** Why it stopped short, when it did. */
  error?: string;
  done: boolean;
}

export interface DriveOptions {
  /** Pause before each step, like a person reading the inbox (ms). */
  think: () => number;
  /** Pause before the start (ms); none by default. */
  arrival?: number;
  /** Heard after each accepted action (fault moments follow progress). */
  onAccepted: () => void;
}

export async function driveProject(
  client: ProofClient,
  cast: Cast,
  name: string,
  options: DriveOptions,
): Promise<ProjectRun> {
  const run: ProjectRun = { name, accepted: [], done: false };
  try {
    await drive(client, cast, run, options);
  } catch (error) {
    // A request the client gave up on stops this project, not the run: the checks then
    // report it stuck, with its workflow's state and what its requests got (checks.ts).
    if (!(error instanceof GaveUp)) throw error;
    run.error = error.message;
  }
  return run;
}

async function drive(
  client: ProofClient,
  cast: Cast,
  run: ProjectRun,
  options: DriveOptions,
): Promise<void> {
  const { name } = run;
  if (options.arrival) await sleep(options.arrival);
  const started = await client.send(`${name} start`, 'POST', '/api/projects', {
    token: cast.pmo.token,
    headers: { 'idempotency-key': `${name}:start` },
    body: { name, template: cast.template.key, participants: cast.participants },
  });
  if (started.status !== 201) {
    run.error = `start answered ${started.status} ${JSON.stringify(started.body)}`;
    return;
  }
  const id = (started.body as { id: string }).id;
  run.id = id;
  run.accepted.push({ action: 'project.started', actor: cast.pmo.id });
  options.onAccepted();

  const plan = happyPath(cast.template, cast.participants);
  let step = 0;
  for (let next = plan.next(); !next.done; step++) {
    const command = next.value;
    await sleep(options.think());
    const request = toRequest(id, command, `${name}:${step}`);
    const answer = await client.send(`${name} ${request.what}`, 'POST', request.path, {
      token: cast.tokens[command.actor.userId]!,
      body: request.body,
    });
    if (answer.status !== 200 && answer.status !== 201) {
      run.error = `step ${step} (${request.what}) answered ${answer.status} ${JSON.stringify(answer.body)}`;
      return;
    }
    run.accepted.push(request.accepted);
    options.onAccepted();
    next = plan.next((answer.body ?? {}) as ActionResult);
  }
  run.done = true;
}

interface HttpStep {
  what: string;
  path: string;
  body: Record<string, unknown>;
  accepted: Accepted;
}

function toRequest(id: string, command: Command, idempotencyKey: string): HttpStep {
  const base = `/api/projects/${id}`;
  const actor = command.actor.userId;
  switch (command.type) {
    case 'signoff':
      return {
        what: `signoff ${command.nodeId} by ${actor}`,
        path: `${base}/nodes/${command.nodeId}/signoffs`,
        body: {
          decision: command.decision,
          ...(command.role !== undefined && { role: command.role }),
          ...(command.criteria !== undefined && { criteria: command.criteria }),
          ...(command.comment !== undefined && { comment: command.comment }),
          idempotencyKey,
        },
        accepted: { action: 'signoff', actor, nodeId: command.nodeId },
      };
    case 'deliverable':
      return {
        what: `deliverable ${command.nodeId}/${command.deliverableId}`,
        path: `${base}/nodes/${command.nodeId}/deliverables/${command.deliverableId}`,
        body: { url: command.url, idempotencyKey },
        accepted: {
          action: 'deliverable.submitted',
          actor,
          nodeId: command.nodeId,
          item: command.deliverableId,
        },
      };
    case 'complete':
      return {
        what: `complete ${command.nodeId}`,
        path: `${base}/nodes/${command.nodeId}/complete`,
        body: { idempotencyKey },
        accepted: { action: 'node.completed', actor, nodeId: command.nodeId },
      };
    case 'raiseIssue':
      return {
        what: 'raise issue',
        path: `${base}/issues`,
        body: { severity: command.severity, title: command.title, idempotencyKey },
        accepted: { action: 'issue.raised', actor },
      };
    case 'resolveIssue':
      return {
        what: 'resolve issue',
        path: `${base}/issues/${command.issueId}/resolve`,
        body: { ...(command.note !== undefined && { note: command.note }), idempotencyKey },
        accepted: { action: 'issue.resolved', actor },
      };
    case 'agreeMetrics':
      return {
        what: `agree metrics by ${actor}`,
        path: `${base}/metrics/agree`,
        body: { idempotencyKey },
        accepted: { action: 'metrics.agreed', actor },
      };
    case 'recordReadiness':
      return {
        what: `readiness ${command.nodeId} by ${actor}`,
        path: `${base}/nodes/${command.nodeId}/readiness`,
        body: {
          ...(command.adkar !== undefined && { adkar: command.adkar }),
          ...(command.training !== undefined && { training: command.training }),
          ...(command.supportModel !== undefined && { supportModel: command.supportModel }),
          idempotencyKey,
        },
        accepted: {
          action: 'readiness.recorded',
          actor,
          nodeId: command.nodeId,
          item: readinessItem(command),
        },
      };
    case 'retire':
      return {
        what: 'retire',
        path: `${base}/retire`,
        body: { reason: command.reason, idempotencyKey },
        accepted: { action: 'project.retired', actor },
      };
    default:
      throw new Error(`the happy path asked for ${command.type}, which the proof does not send`);
  }
}

/**
 * The items one readiness record names (`adkar:<group>`, `training:<role>`, `supportModel`), for
 * a command or the detail of its audit entry: a participant may record several in turn.
 */
export function readinessItem(named: {
  adkar?: unknown;
  training?: unknown;
  supportModel?: unknown;
}): string {
  const keys = (value: unknown) =>
    value !== null && typeof value === 'object' ? Object.keys(value).sort() : [];
  return [
    ...keys(named.adkar).map((k) => `adkar:${k}`),
    ...keys(named.training).map((k) => `training:${k}`),
    ...(named.supportModel !== undefined ? ['supportModel'] : []),
  ].join(',');
}
