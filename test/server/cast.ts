/**
 * The people and projects of the authorization and bad-input tests: one participant per role of
 * the built-in template, an outsider, a PMO and an admin (neither a participant), and projects
 * of the built-in template moved over HTTP into the state a route needs (a gate open for
 * sign-off, a stage ready to complete, hypercare with an open issue, a Conditional Go, on hold,
 * monitoring, the post-implementation review, one with a follow-up action set, the handoff
 * gate with its readiness checklist open).
 */
import { createDelegation, createToken } from '../../db';
import { opsIntegratedDelivery as builtin, signerRules } from '../../workflows/model';
import { fullMarks, goPrerequisites, nodeOf } from '../workflows/drive';
import type { ApiStack } from './stack';

/** Who holds which role in every project of these tests. */
export const PARTICIPANTS = {
  pm: 'mx-pat',
  'ops-lead': 'mx-olga',
  'ops-manager': 'mx-mona',
  support: 'mx-sue',
  steering: 'mx-stan',
} as const;
export type Participant = (typeof PARTICIPANTS)[keyof typeof PARTICIPANTS];

/** A project name that must never show in an answer to someone who may not see the project. */
export const SECRET_NAME = 'Nightjar';

export interface Cast {
  /** Tokens by user id: every participant plus `outsider`, `pmo`, `admin` and `root`. */
  tokens: Record<string, string>;
  outsider: string;
  /** PMO flag only. */
  pmo: string;
  /** Admin flag only (admins may do what the PMO may). */
  admin: string;
  /** PMO and admin at once: the bad-input tests' caller, for whom every access check passes. */
  root: string;
  /** The id of a second token of the pm's, which tests may revoke. */
  spareToken: string;
  /** The id of a delegation of the pm's (to the ops lead, in a far future), to revoke. */
  spareDelegation: string;
}

export async function createCast(api: ApiStack): Promise<Cast> {
  const tokens: Record<string, string> = {};
  for (const id of Object.values(PARTICIPANTS)) tokens[id] = (await api.user(id)).token;
  tokens['mx-ursula'] = (await api.user('mx-ursula')).token;
  tokens['mx-petra'] = (await api.user('mx-petra', { pmo: true })).token;
  tokens['mx-ada'] = (await api.user('mx-ada', { admin: true })).token;
  tokens['mx-root'] = (await api.user('mx-root', { pmo: true, admin: true })).token;
  const spareToken = (await createToken(api.db, PARTICIPANTS.pm, 'spare')).id;
  const delegated = await createDelegation(api.db, {
    delegatorId: PARTICIPANTS.pm,
    delegateId: PARTICIPANTS['ops-lead'],
    startsAt: Date.parse('2200-01-01T00:00:00Z'),
    endsAt: Date.parse('2200-02-01T00:00:00Z'),
  });
  if (!delegated.ok) throw new Error('spare delegation');
  return {
    tokens,
    outsider: 'mx-ursula',
    pmo: 'mx-petra',
    admin: 'mx-ada',
    root: 'mx-root',
    spareToken,
    spareDelegation: delegated.delegation.id,
  };
}

/** A project in a given state, with the ids a route needs on top of its own. */
export interface ProjectRef {
  id: string;
  issueId?: string;
  conditionId?: string;
  feedbackId?: string;
  actionId?: string;
}

/** The states a matrix row may ask for. */
export type ProjectState =
  | 'gate'
  | 'agreed'
  | 'stage'
  | 'handoff'
  | 'hypercare'
  | 'condition'
  | 'onHold'
  | 'monitor'
  | 'feedback'
  | 'pir'
  | 'reviewAction';

const userOf = (role: string): string => PARTICIPANTS[role as keyof typeof PARTICIPANTS];
const roleOf = (userId: string) => Object.entries(PARTICIPANTS).find(([, id]) => id === userId)![0];

/** Starts and moves projects of the built-in template, as its participants over HTTP. */
export class ProjectMaker {
  private count = 0;

  constructor(
    private readonly api: ApiStack,
    private readonly cast: Cast,
  ) {}

  /** `POST /api/projects/:id…` as `userId`, failing unless it answers `status`. */
  async act(userId: string, id: string, path: string, body: unknown, status = 200) {
    const reply = await this.api.call('POST', `/api/projects/${id}${path}`, {
      token: this.cast.tokens[userId]!,
      body,
    });
    if (reply.status !== status) {
      throw new Error(`${userId} ${path}: HTTP ${reply.status} ${JSON.stringify(reply.body)}`);
    }
    return reply.body as { current: string[]; id?: string };
  }

  /** A project in `state`, on version 1 of the built-in template. */
  async make(state: ProjectState): Promise<ProjectRef> {
    const id = await this.start();
    const { pm, 'ops-lead': lead, 'ops-manager': manager } = PARTICIPANTS;
    switch (state) {
      case 'gate':
        return { id };
      case 'agreed':
        // The inception gate open for sign-off, operations having agreed the metrics.
        await this.act(lead, id, '/metrics/agree', {});
        return { id };
      case 'handoff':
        await this.advance(id, 'handoff');
        await this.submitRequired(id, 'handoff');
        return { id };
      case 'stage':
        await this.advance(id, 'operationalization-plan');
        await this.submitRequired(id, 'operationalization-plan');
        return { id };
      case 'hypercare': {
        await this.advance(id, 'hypercare');
        const issue = { severity: 3, title: 'Report export is slow' };
        const raised = await this.act(manager, id, '/issues', issue, 201);
        return { id, issueId: raised.id! };
      }
      case 'condition': {
        await this.act(lead, id, '/metrics/agree', {});
        const condition = { text: 'Frontline rota agreed', due: 'P30D', owner: 'ops-lead' };
        await this.sign(pm, id, 'inception', { conditions: [condition] });
        await this.sign(lead, id, 'inception');
        const state = await this.api.call('GET', `/api/projects/${id}`, {
          token: this.cast.tokens[this.cast.pmo]!,
        });
        return { id, conditionId: state.body.conditions[0].id as string };
      }
      case 'onHold':
        await this.act(pm, id, '/nodes/inception/signoffs', { decision: 'hold', comment: 'wait' });
        return { id };
      case 'monitor':
        await this.advance(id, 'kpi-monitoring');
        return { id };
      case 'pir':
        await this.advance(id, 'pir');
        return { id };
      case 'reviewAction': {
        await this.advance(id, 'pir');
        const action = { text: 'Refresher training for the night shift', due: 'P30D' };
        const set = { ...action, owner: 'support' };
        const added = await this.act(
          PARTICIPANTS.steering,
          id,
          '/nodes/pir/review-actions',
          set,
          201,
        );
        return { id, actionId: added.id! };
      }
      case 'feedback': {
        const posted = { kind: 'feedback', text: 'The rota clashes with month end' };
        const feedback = await this.act(PARTICIPANTS.support, id, '/feedback', posted, 201);
        return { id, feedbackId: feedback.id! };
      }
    }
  }

  /** Starts a project (version 1 pinned) with the inception deliverables already in. */
  private async start(): Promise<string> {
    const reply = await this.api.call('POST', '/api/projects', {
      token: this.cast.tokens[this.cast.pmo]!,
      body: {
        name: `${SECRET_NAME} ${++this.count}`,
        template: builtin.key,
        version: 1,
        participants: Object.fromEntries(Object.entries(PARTICIPANTS).map(([r, u]) => [r, [u]])),
      },
    });
    if (reply.status !== 201) throw new Error(`start: ${JSON.stringify(reply.body)}`);
    const id = reply.body.id as string;
    await this.submitRequired(id, 'inception');
    return id;
  }

  private async submitRequired(id: string, nodeId: string): Promise<void> {
    const node = nodeOf(builtin, nodeId);
    const deliverables = node.type === 'stage' || node.type === 'gate' ? node.deliverables : [];
    for (const d of (deliverables ?? []).filter((x) => x.required)) {
      const url = `https://docs.example.test/${d.id}`;
      await this.act(PARTICIPANTS.pm, id, `/nodes/${nodeId}/deliverables/${d.id}`, { url });
    }
  }

  private sign(userId: string, id: string, nodeId: string, extra: object = {}) {
    const criteria = fullMarks(nodeOf(builtin, nodeId));
    const body = { decision: 'go', role: roleOf(userId), criteria, ...extra };
    return this.act(userId, id, `/nodes/${nodeId}/signoffs`, body);
  }

  /** Moves along the happy path from the inception gate until `target` is the current node. */
  private async advance(id: string, target: string): Promise<void> {
    for (let nodeId = builtin.start; nodeId !== target;) {
      const node = nodeOf(builtin, nodeId);
      let next: { current: string[] } | undefined;
      // The start gate's deliverables went in when the project started.
      if (nodeId !== builtin.start) await this.submitRequired(id, nodeId);
      if (node.type === 'stage') {
        next = await this.act(userOf(node.owner!), id, `/nodes/${nodeId}/complete`, {});
      } else {
        for (const step of goPrerequisites(builtin, nodeId)) {
          await this.act(userOf(step.role), id, step.path, step.body);
        }
        for (const rule of signerRules(node)) next = await this.sign(userOf(rule.role), id, nodeId);
      }
      if (!next || next.current[0] === nodeId) throw new Error(`${nodeId} did not advance`);
      nodeId = next.current[0]!;
    }
  }
}
