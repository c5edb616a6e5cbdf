/**
 * The authorization matrix as data: for every route of the contract, the status each kind of
 * caller must get for an otherwise valid request, the project state the route needs and who
 * plays "the right signer" and "a participant in another role" there. For routes outside a
 * project the signer is whoever the route's access names (any participant for `user`, the PMO
 * for `pmo`, the admin for `admin`).
 */
import type { RouteName } from '../../server/contract';
import { opsIntegratedDelivery as builtin } from '../../workflows/model';
import { fullMarks, nodeOf } from '../workflows/drive';
import { PARTICIPANTS, type Cast, type ProjectRef, type ProjectState } from './cast';

export const CALLERS = ['anonymous', 'outsider', 'otherRole', 'signer', 'pmo', 'admin'] as const;
export type Caller = (typeof CALLERS)[number];
/** Expected statuses in CALLERS order. */
type Statuses = [number, number, number, number, number, number];

export interface Row {
  /** The expected status per caller, in CALLERS order. */
  expect: Statuses;
  /** The project state the route needs; absent for routes outside a project. */
  state?: ProjectState;
  /** The participant who may do this, and one in a role that may not (or may: see `expect`). */
  signer?: string;
  other?: string;
  /** A success changes what the next call would meet: each successful caller gets a project. */
  consumes?: boolean;
  params?: (ref: ProjectRef, cast: Cast) => Record<string, string>;
  body?: () => unknown;
}

export const { pm, 'ops-lead': lead, 'ops-manager': manager, support, steering } = PARTICIPANTS;
const key = builtin.key;
let emails = 0;
let delegations = 0;
const reason = () => ({ reason: 'Steering asked for it' });

//                       anonymous outsider other signer pmo  admin
const READ: Statuses = [401, 200, 200, 200, 200, 200];
const OPEN: Statuses = [200, 200, 200, 200, 200, 200];
const PMO: Statuses = [401, 403, 403, 201, 201, 201];
const PMO_READ: Statuses = [401, 403, 403, 200, 200, 200];
const PROJECT_READ: Statuses = [401, 403, 200, 200, 200, 200];
const PARTICIPANT_ONLY = (ok: number): Statuses => [401, 403, ok, ok, 403, 403];
const SIGNER_ONLY: Statuses = [401, 403, 403, 200, 403, 403];
const SIGNER_OR_PMO: Statuses = [401, 403, 403, 200, 200, 200];
const ADMIN_READ: Statuses = [401, 403, 403, 200, 403, 200];
const ADMIN: Statuses = [401, 403, 403, 201, 403, 201];
const ANY_USER_CREATES: Statuses = [401, 201, 201, 201, 201, 201];
const NOWHERE: Statuses = [404, 404, 404, 404, 404, 404];

export const MATRIX: Record<RouteName, Row> = {
  createUser: {
    expect: [401, 403, 403, 201, 403, 201],
    body: () => ({ name: 'New colleague', email: `new-${++emails}@example.test` }),
  },
  listUsers: { expect: PMO_READ },
  // The outsider's account: refusals echo the path, and participants' ids must never show.
  getUser: { expect: ADMIN_READ, params: (_ref, cast) => ({ id: cast.outsider }) },
  // Unchanged on purpose (still active): every caller the matrix lets through gets 200.
  updateUser: {
    expect: ADMIN_READ,
    params: (_ref, cast) => ({ id: cast.outsider }),
    body: () => ({ active: true }),
  },
  userTokens: { expect: ADMIN_READ, params: (_ref, cast) => ({ id: cast.outsider }) },
  createUserToken: {
    expect: ADMIN,
    params: (_ref, cast) => ({ id: cast.outsider }),
    body: () => ({ label: 'matrix', expiresInDays: 1 }),
  },
  adminAudit: { expect: ADMIN_READ },
  me: { expect: READ },
  myTokens: { expect: READ },
  createMyToken: { expect: ANY_USER_CREATES, body: () => ({ label: 'matrix' }) },
  // pm's spare token: pm (the "signer" of a user route) and an admin revoke it; for anyone
  // else it does not exist. Revoking twice is fine (DELETE is idempotent).
  revokeToken: {
    expect: [401, 404, 404, 204, 404, 204],
    params: (_ref, cast) => ({ id: cast.spareToken }),
  },
  authConfig: { expect: OPEN },
  startSession: { expect: ANY_USER_CREATES },
  // Bearer callers have no session to show.
  getSession: { expect: [401, 404, 404, 404, 404, 404] },
  endSession: { expect: [204, 204, 204, 204, 204, 204] },
  // No identity provider is configured in the matrix's app.
  ssoLogin: { expect: NOWHERE },
  ssoCallback: { expect: NOWHERE },
  listTemplates: { expect: READ },
  validateTemplate: { expect: READ, body: () => builtin },
  // Drafts are the PMO's work in progress; everyone else reads published versions.
  getDraft: { expect: PMO_READ, params: () => ({ key }) },
  saveDraft: {
    expect: PMO_READ,
    params: () => ({ key: 'matrix-scratch' }),
    body: () => ({ name: 'Work in progress' }),
  },
  publish: { expect: PMO, params: () => ({ key: 'matrix-copy' }) },
  listVersions: { expect: READ, params: () => ({ key }) },
  getVersion: { expect: READ, params: () => ({ key, n: '1' }) },
  // The shared projects (one per state) fit one batch: the analysis answers done (200).
  analyseImpact: { expect: PMO_READ, params: () => ({ key }), body: () => ({ version: 2 }) },
  getImpact: {
    expect: [401, 403, 403, 404, 404, 404],
    params: () => ({ key, job: 'no-such-analysis' }),
  },
  // An analysis that does not exist: past the gate, the PMO and the admin meet a 404.
  startMigration: {
    expect: [401, 403, 403, 404, 404, 404],
    params: () => ({ key }),
    body: () => ({ impactJob: 'no-such-analysis' }),
  },
  getMigration: {
    expect: [401, 403, 403, 404, 404, 404],
    params: () => ({ key, job: 'no-such-migration' }),
  },
  startProject: {
    expect: PMO,
    body: () => ({
      name: 'Started by the matrix',
      template: key,
      participants: Object.fromEntries(Object.entries(PARTICIPANTS).map(([r, u]) => [r, [u]])),
    }),
  },
  listProjects: { expect: READ },
  exportPortfolio: { expect: PMO_READ },
  portfolioStages: { expect: PMO_READ },
  getProject: { expect: PROJECT_READ, state: 'gate', signer: pm, other: steering },
  signoff: {
    expect: SIGNER_ONLY,
    state: 'agreed',
    signer: pm,
    other: steering,
    consumes: true,
    params: ({ id }) => ({ id, nodeId: 'inception' }),
    body: () => ({ decision: 'go', criteria: fullMarks(nodeOf(builtin, 'inception')) }),
  },
  submitDeliverable: {
    expect: PARTICIPANT_ONLY(200),
    state: 'gate',
    signer: pm,
    other: support,
    params: ({ id }) => ({ id, nodeId: 'inception', deliverableId: 'stakeholder-map' }),
    body: () => ({ url: 'https://docs.example.test/stakeholders-v2' }),
  },
  completeStage: {
    expect: SIGNER_ONLY,
    state: 'stage',
    signer: pm,
    other: lead,
    consumes: true,
    params: ({ id }) => ({ id, nodeId: 'operationalization-plan' }),
    body: () => ({}),
  },
  raiseIssue: {
    expect: PARTICIPANT_ONLY(201),
    state: 'hypercare',
    signer: manager,
    other: pm,
    body: () => ({ severity: 3, title: 'Tooltip typo' }),
  },
  resolveIssue: {
    expect: PARTICIPANT_ONLY(200),
    state: 'hypercare',
    signer: manager,
    other: pm,
    consumes: true,
    params: ({ id, issueId }) => ({ id, issueId: issueId! }),
    body: () => ({ note: 'Fixed in 1.0.1' }),
  },
  // The issue's responders (the hypercare owners and the roles told of issues) answer it;
  // steering is told of neither.
  acknowledgeIssue: {
    expect: SIGNER_ONLY,
    state: 'hypercare',
    signer: manager,
    other: steering,
    consumes: true,
    params: ({ id, issueId }) => ({ id, issueId: issueId! }),
    body: () => ({ note: 'On it' }),
  },
  respondToIssue: {
    expect: SIGNER_ONLY,
    state: 'hypercare',
    signer: manager,
    other: steering,
    params: ({ id, issueId }) => ({ id, issueId: issueId! }),
    body: () => ({ text: 'Workaround: export as CSV' }),
  },
  // The inception gate's owner (pm) answers feedback posted there; so does the PMO.
  setFeedbackStatus: {
    expect: SIGNER_OR_PMO,
    state: 'feedback',
    signer: pm,
    other: steering,
    consumes: true,
    params: ({ id, feedbackId }) => ({ id, feedbackId: feedbackId! }),
    body: () => ({ status: 'acknowledged' }),
  },
  extendHypercare: {
    expect: SIGNER_ONLY,
    state: 'hypercare',
    signer: manager,
    other: pm,
    consumes: true,
    body: () => ({ reason: 'Month-end close still ahead' }),
  },
  recordKpi: {
    expect: PARTICIPANT_ONLY(201),
    state: 'gate',
    signer: manager,
    other: pm,
    body: () => ({ metric: 'adoption-rate', value: 42 }),
  },
  setMetrics: {
    expect: PARTICIPANT_ONLY(200),
    state: 'gate',
    signer: pm,
    other: support,
    body: () => ({
      metrics: { 'adoption-rate': { target: 85 } },
      delivery: { budget: 1e5, currency: 'EUR' },
    }),
  },
  // The start node's owner (pm) records the actual cost; so does the PMO.
  recordCost: {
    expect: SIGNER_OR_PMO,
    state: 'gate',
    signer: pm,
    other: support,
    body: () => ({ spent: 25_000, currency: 'EUR' }),
  },
  agreeMetrics: {
    expect: SIGNER_ONLY,
    state: 'gate',
    signer: lead,
    other: pm,
    consumes: true,
    body: () => ({ comment: 'Operations agree' }),
  },
  // Anyone taking part records groups' stages and training counts (the support model is
  // operations' to confirm: tested in test/server/readiness.test.ts).
  recordReadiness: {
    expect: PARTICIPANT_ONLY(200),
    state: 'handoff',
    signer: manager,
    other: steering,
    params: ({ id }) => ({ id, nodeId: 'handoff' }),
    body: () => ({
      adkar: { 'frontline-users': 'knowledge' },
      training: { 'support-agents': { trained: 7, total: 9 } },
    }),
  },
  // The built-in reviews monthly: no review is open yet, which only a reviewer learns.
  kpiReview: {
    expect: [401, 403, 403, 409, 403, 403],
    state: 'monitor',
    signer: manager,
    other: pm,
    params: ({ id }) => ({ id, nodeId: 'kpi-monitoring' }),
    body: () => ({ decision: 'keep', values: { 'adoption-rate': 81 } }),
  },
  feedback: {
    expect: PARTICIPANT_ONLY(201),
    state: 'gate',
    signer: pm,
    other: steering,
    body: () => ({ kind: 'lesson', text: 'Invite frontline staff early' }),
  },
  conditionMet: {
    expect: SIGNER_OR_PMO,
    state: 'condition',
    signer: lead,
    other: steering,
    consumes: true,
    params: ({ id, conditionId }) => ({ id, conditionId: conditionId! }),
    body: () => ({ note: 'Rota signed' }),
  },
  // A review's reviewers (steering, operations manager) record; the PM and the PMO do not.
  recordReviewDecision: {
    expect: [401, 403, 403, 201, 403, 403],
    state: 'pir',
    signer: steering,
    other: pm,
    params: ({ id }) => ({ id, nodeId: 'pir' }),
    body: () => ({ text: 'Roll out to the second region next quarter' }),
  },
  recordReviewAction: {
    expect: [401, 403, 403, 201, 403, 403],
    state: 'pir',
    signer: steering,
    other: pm,
    params: ({ id }) => ({ id, nodeId: 'pir' }),
    body: () => ({ text: 'Refresher training', due: 'P30D', owner: 'support' }),
  },
  // Only the action's owner (support) completes it: not the reviewer who set it, nor the PMO.
  completeReviewAction: {
    expect: [401, 403, 403, 200, 403, 403],
    state: 'reviewAction',
    signer: support,
    other: steering,
    consumes: true,
    params: ({ id, actionId }) => ({ id, actionId: actionId! }),
    body: () => ({ note: 'Trained 14 of 14' }),
  },
  // The PMO gives the support role to a colleague (the PMO user: no outsider joins a project).
  reassign: {
    expect: [401, 403, 403, 200, 200, 200],
    state: 'gate',
    other: pm,
    consumes: true,
    body: () => ({ role: 'support', from: support, to: 'mx-petra' }),
  },
  // Each caller delegates all of their projects to the support user, for a month far ahead
  // (nothing of today's inboxes changes), each in a month of its own.
  createDelegation: {
    expect: ANY_USER_CREATES,
    body: () => {
      const month = ++delegations;
      const at = (m: number) =>
        `${2100 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01T00:00:00Z`;
      return { delegate: support, from: at(month), until: at(month + 1) };
    },
  },
  listDelegations: { expect: READ },
  colleagues: { expect: READ },
  // Only the delegator revokes: anyone else's delegation is as unknown as none.
  revokeDelegation: {
    expect: [401, 404, 404, 204, 404, 404],
    params: (_ref, cast) => ({ id: cast.spareDelegation }),
  },
  dryRunProject: {
    expect: [401, 403, 403, 200, 200, 200],
    state: 'gate',
    other: pm,
    body: () => ({ version: 2 }),
  },
  migrate: {
    expect: [401, 403, 403, 200, 200, 200],
    state: 'gate',
    other: pm,
    consumes: true,
    body: () => ({ version: 2 }),
  },
  resume: {
    expect: SIGNER_OR_PMO,
    state: 'onHold',
    signer: pm,
    other: support,
    consumes: true,
    body: reason,
  },
  retire: {
    expect: SIGNER_OR_PMO,
    state: 'monitor',
    signer: manager,
    other: pm,
    consumes: true,
    body: reason,
  },
  cancel: {
    expect: SIGNER_OR_PMO,
    state: 'gate',
    signer: pm,
    other: support,
    consumes: true,
    body: reason,
  },
  audit: { expect: PROJECT_READ, state: 'gate', signer: pm, other: steering },
  participants: { expect: PROJECT_READ, state: 'gate', signer: pm, other: steering },
  events: { expect: PROJECT_READ, state: 'gate', signer: pm, other: steering },
  projectPeople: { expect: PROJECT_READ, state: 'gate', signer: pm, other: steering },
  inbox: { expect: READ },
  notifications: { expect: READ },
  markRead: { expect: READ, body: () => ({ all: true }) },
  inboxSummary: { expect: READ },
  inboxEvents: { expect: READ },
  firstRun: { expect: PMO_READ },
  demoUsers: { expect: OPEN },
  openapi: { expect: OPEN },
  healthz: { expect: OPEN },
  readyz: { expect: OPEN },
};
