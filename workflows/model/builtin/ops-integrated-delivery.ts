/**
 * The built-in template `ops-integrated-delivery` (SPEC §2, last paragraph): a lifecycle in
 * which operations co-own the project from inception, the handoff is formal, hypercare is
 * timed and escalates by itself, and the PIR compares planned with actual benefits.
 */
import { TEMPLATE_SCHEMA, type Template } from '../template';

const COLUMN = 260;
const ROW = 180;
const at = (column: number, row = 0) => ({ x: column * COLUMN, y: row * ROW });

/** Operations-integrated delivery: inception → plan → pilot → handoff → hypercare → PIR → KPIs. */
export const opsIntegratedDelivery: Template = {
  schema: TEMPLATE_SCHEMA,
  key: 'ops-integrated-delivery',
  name: 'Operations-integrated delivery',
  description:
    'Project lifecycle with operations at every gate: joint inception, an operationalization ' +
    'plan, a pilot, a formal handoff to operations and support, timed hypercare, a ' +
    'post-implementation review of planned vs actual benefits, and monthly KPI monitoring.',
  roles: [
    { key: 'pm', name: 'Project manager' },
    { key: 'ops-lead', name: 'Operations lead', operations: true },
    { key: 'ops-manager', name: 'Operations manager', operations: true },
    { key: 'support', name: 'Support lead', operations: true },
    { key: 'steering', name: 'Steering committee' },
    // Optional participants: no rule names them; they post feedback and raise issues.
    { key: 'frontline', name: 'Frontline staff' },
  ],
  metrics: [
    {
      key: 'adoption-rate',
      name: 'Adoption rate',
      unit: '%',
      baseline: 0,
      target: 80,
      direction: 'increase',
      min: 0,
      max: 100,
    },
    {
      key: 'support-tickets',
      name: 'Support tickets',
      unit: 'tickets/week',
      baseline: 120,
      target: 60,
      direction: 'decrease',
    },
    {
      key: 'processing-time',
      name: 'Average processing time',
      unit: 'min',
      baseline: 45,
      target: 20,
      direction: 'decrease',
    },
    {
      key: 'user-satisfaction',
      name: 'User satisfaction',
      unit: 'score (1-5)',
      baseline: 3.1,
      target: 4.2,
      direction: 'increase',
      min: 1,
      max: 5,
    },
  ],
  // Delivered at go-live: the formal handoff's go. The PM (and the PMO) keep the actual cost.
  delivery: { handover: 'handoff', costBy: ['pm'] },
  start: 'inception',
  nodes: [
    {
      id: 'inception',
      type: 'gate',
      name: 'Inception',
      description:
        'Project and operations agree on scope, stakeholders and success metrics. Nothing ' +
        'precedes this gate, so it cannot recycle: rework happens on hold.',
      owner: 'pm',
      signoff: {
        rules: [
          { role: 'pm', min: 1 },
          { role: 'ops-lead', min: 1 },
        ],
      },
      deliverables: [
        {
          id: 'stakeholder-map',
          name: 'Operational stakeholder map (incl. frontline staff)',
          required: true,
        },
        { id: 'steering-charter', name: 'Joint steering committee charter', required: true },
        { id: 'operational-requirements', name: 'Operational requirements', required: true },
        { id: 'success-metrics', name: 'Co-created success metrics', required: true },
      ],
      criteria: [
        {
          id: 'ops-co-ownership',
          text: 'Operations leadership co-owns the project and sits on the steering committee',
          kind: 'must',
        },
        {
          id: 'metrics-agreed',
          text: 'Success metrics have baselines and targets agreed with operations',
          kind: 'must',
        },
        {
          id: 'frontline-voice',
          text: 'Frontline staff were consulted on the operational requirements',
          kind: 'should',
          weight: 2,
        },
        {
          id: 'business-case',
          text: 'Benefits justify the operational cost of running the result',
          kind: 'should',
          weight: 1,
        },
      ],
      passScore: 0.6,
      decisions: ['go', 'hold', 'kill'],
      // Operations agree the project's own baselines and targets before it goes ahead.
      metricsAgreed: true,
      sla: {
        due: 'P10D',
        remind: ['P3D', 'P1D'],
        escalate: [
          { after: 'P1D', notify: ['pm', 'ops-lead'] },
          { after: 'P3D', notify: ['steering'] },
        ],
      },
    },
    {
      id: 'operationalization-plan',
      type: 'stage',
      name: 'Operationalization plan',
      description: 'How the result will live in operations, planned with operations.',
      owner: 'pm',
      deliverables: [
        { id: 'process-maps', name: 'As-is and to-be process maps', required: true },
        { id: 'training-strategy', name: 'Training and enablement strategy', required: true },
        {
          id: 'support-model',
          name: 'Support model with escalation path and SLAs',
          required: true,
        },
        { id: 'maintenance-resourcing', name: 'Maintenance resourcing', required: true },
        { id: 'communication-plan', name: 'Communication plan', required: true },
      ],
      sla: {
        due: 'P30D',
        remind: ['P5D', 'P1D'],
        escalate: [
          { after: 'P1D', notify: ['pm', 'ops-lead'] },
          { after: 'P5D', notify: ['steering'] },
        ],
      },
    },
    {
      id: 'plan-approval',
      type: 'gate',
      name: 'Plan approval',
      owner: 'pm',
      signoff: {
        rules: [
          { role: 'pm', min: 1 },
          { role: 'ops-manager', min: 1 },
          { role: 'steering', min: 1 },
        ],
      },
      criteria: [
        {
          id: 'processes-validated',
          text: 'To-be processes were validated with frontline staff',
          kind: 'must',
        },
        {
          id: 'support-agreed',
          text: 'Support accepted the support model, escalation path and SLAs',
          kind: 'must',
        },
        {
          id: 'training-coverage',
          text: 'Training reaches every affected role before go-live',
          kind: 'should',
          weight: 2,
        },
        {
          id: 'maintenance-funded',
          text: 'Maintenance is funded and staffed beyond the project',
          kind: 'should',
          weight: 1,
        },
      ],
      passScore: 0.6,
      sla: {
        due: 'P10D',
        remind: ['P2D'],
        escalate: [{ after: 'P2D', notify: ['steering'] }],
      },
    },
    {
      id: 'pilot',
      type: 'stage',
      name: 'Pilot',
      description: 'A limited rollout with real users; operations run it with the project team.',
      owner: 'pm',
      deliverables: [
        { id: 'pilot-training', name: 'Training delivered to pilot users', required: true },
        { id: 'pilot-results', name: 'Pilot results against baseline metrics', required: true },
        { id: 'frontline-feedback', name: 'Frontline feedback log', required: true },
        { id: 'known-issues', name: 'Known issues and workarounds', required: false },
      ],
      sla: {
        due: 'P6W',
        remind: ['P1W'],
        escalate: [{ after: 'P3D', notify: ['pm', 'ops-manager'] }],
      },
    },
    {
      id: 'pilot-review',
      type: 'gate',
      name: 'Pilot review',
      owner: 'pm',
      signoff: {
        rules: [
          { role: 'pm', min: 1 },
          { role: 'ops-lead', min: 1 },
          { role: 'support', min: 1 },
        ],
      },
      criteria: [
        {
          id: 'pilot-measured',
          text: 'Pilot metrics were measured against the baselines',
          kind: 'must',
        },
        {
          id: 'feedback-addressed',
          text: 'Frontline feedback is addressed or planned',
          kind: 'should',
          weight: 2,
        },
        {
          id: 'ticket-volume',
          text: 'Support ticket volume stayed within forecast',
          kind: 'should',
          weight: 1,
        },
      ],
      passScore: 0.6,
      sla: { due: 'P5D', remind: ['P1D'] },
      // The pilot's KPI values against baseline and target, beside the sign-off.
      metrics: ['adoption-rate', 'support-tickets', 'processing-time', 'user-satisfaction'],
    },
    {
      id: 'handoff',
      type: 'gate',
      name: 'Formal handoff',
      description: 'Operations and support formally take over the result.',
      owner: 'pm',
      signoff: {
        rules: [
          { role: 'pm', min: 1 },
          { role: 'ops-manager', min: 1 },
          { role: 'support', min: 1 },
        ],
      },
      deliverables: [
        {
          id: 'documentation-transfer',
          name: 'Documentation transfer (runbooks, configuration, known issues)',
          required: true,
        },
        { id: 'support-readiness', name: 'Support team trained and on rota', required: true },
        { id: 'training-records', name: 'Training records', required: false },
      ],
      criteria: [
        { id: 'runbooks-accepted', text: 'Support accepted the runbooks', kind: 'must' },
        { id: 'rollback-ready', text: 'A rollback plan exists and was rehearsed', kind: 'must' },
        {
          id: 'knowledge-transfer',
          text: 'Knowledge-transfer sessions covered every support shift',
          kind: 'should',
          weight: 1,
        },
      ],
      passScore: 0.6,
      // Go-live waits for the people: every affected group able to work the new way, training
      // reaching each role, the support model confirmed by operations.
      readiness: {
        groups: [
          { key: 'frontline-users', name: 'Frontline users' },
          { key: 'support-team', name: 'Support team' },
          { key: 'operations', name: 'Operations' },
        ],
        training: {
          min: 0.9,
          roles: [
            { key: 'frontline-users', name: 'Frontline users' },
            { key: 'support-agents', name: 'Support agents', min: 1 },
            { key: 'operations-staff', name: 'Operations staff' },
          ],
        },
        supportModel: true,
      },
      sla: {
        due: 'P5D',
        remind: ['P1D'],
        escalate: [{ after: 'P1D', notify: ['steering'] }],
      },
    },
    {
      id: 'hypercare',
      type: 'hypercare',
      name: 'Hypercare',
      description:
        'Four weeks of heightened support, owned jointly by the project manager and the ' +
        'operations lead; extended while blocking issues stay open. Every issue has a response ' +
        'and a resolution time by severity and escalates on its own.',
      owner: 'pm',
      owners: ['ops-lead'],
      duration: 'P28D',
      extendBy: 'P7D',
      maxExtensions: 2,
      exit: { rules: [{ role: 'ops-manager', min: 1 }] },
      escalation: [
        { after: 'PT0S', notify: ['ops-manager', 'pm'] },
        { after: 'P3D', notify: ['steering'] },
      ],
      blockingSeverity: 2,
      // The project team and operations hear of the start and of every issue alike.
      notifyStart: ['pm', 'ops-lead', 'ops-manager', 'support'],
      notifyIssues: ['pm', 'ops-lead', 'ops-manager', 'support'],
      issueSla: [
        {
          severity: 1,
          respond: 'PT1H',
          resolve: 'PT8H',
          remind: ['PT2H'],
          escalate: [
            { after: 'PT0S', notify: ['ops-manager', 'pm'] },
            { after: 'PT4H', notify: ['steering'] },
          ],
        },
        {
          severity: 2,
          respond: 'PT4H',
          resolve: 'P2D',
          remind: ['PT8H'],
          escalate: [
            { after: 'PT0S', notify: ['ops-manager', 'pm'] },
            { after: 'P1D', notify: ['steering'] },
          ],
        },
        {
          severity: 3,
          respond: 'P1D',
          resolve: 'P5D',
          remind: ['P1D'],
          escalate: [{ after: 'PT0S', notify: ['ops-manager'] }],
        },
      ],
    },
    {
      id: 'pir',
      type: 'review',
      name: 'Post-implementation review',
      description:
        'Planned vs actual benefits, feedback and lessons learned, owned by the steering ' +
        'committee.',
      owner: 'steering',
      signoff: {
        rules: [
          { role: 'steering', min: 1 },
          { role: 'ops-manager', min: 1 },
        ],
      },
      // Scored, not a bar to clear: the PIR records how the result lives in operations; its
      // decisions and follow-up actions carry what has to change.
      criteria: [
        {
          id: 'training-support',
          text: 'Training and support are effective: users work without workarounds, tickets are resolved within their times',
          kind: 'should',
          weight: 2,
        },
        {
          id: 'benefits-realised',
          text: 'Benefits are realised: actual metrics against baseline and target',
          kind: 'should',
          weight: 3,
        },
        {
          id: 'strategic-fit',
          text: 'The result still fits the strategy it was funded for',
          kind: 'should',
          weight: 1,
        },
      ],
      metrics: ['adoption-rate', 'support-tickets', 'processing-time', 'user-satisfaction'],
    },
    {
      id: 'kpi-monitoring',
      type: 'monitor',
      name: 'KPI monitoring',
      description:
        'Monthly KPI review by operations until the result is retired: values, a decision and follow-up actions, due within two weeks.',
      owner: 'ops-manager',
      every: 'P1M',
      reviewWithin: 'P14D',
      reviewers: ['ops-manager'],
      alertAfter: 2,
      escalate: ['ops-manager', 'steering'],
    },
    { id: 'completed', type: 'end', name: 'Completed', result: 'completed' },
    { id: 'killed', type: 'end', name: 'Killed', result: 'killed' },
  ],
  edges: [
    { from: 'inception', on: 'go', to: 'operationalization-plan' },
    { from: 'inception', on: 'kill', to: 'killed' },
    { from: 'operationalization-plan', on: 'done', to: 'plan-approval' },
    { from: 'plan-approval', on: 'go', to: 'pilot' },
    { from: 'plan-approval', on: 'recycle', to: 'operationalization-plan' },
    { from: 'plan-approval', on: 'kill', to: 'killed' },
    { from: 'pilot', on: 'done', to: 'pilot-review' },
    { from: 'pilot-review', on: 'go', to: 'handoff' },
    { from: 'pilot-review', on: 'recycle', to: 'pilot' },
    { from: 'pilot-review', on: 'kill', to: 'killed' },
    { from: 'handoff', on: 'go', to: 'hypercare' },
    { from: 'handoff', on: 'recycle', to: 'pilot' },
    { from: 'handoff', on: 'kill', to: 'killed' },
    { from: 'hypercare', on: 'done', to: 'pir' },
    { from: 'pir', on: 'done', to: 'kpi-monitoring' },
    { from: 'kpi-monitoring', on: 'done', to: 'completed' },
  ],
  // Left to right along the happy path; `killed` sits under the gates that can kill.
  layout: {
    inception: at(0),
    'operationalization-plan': at(1),
    'plan-approval': at(2),
    pilot: at(3),
    'pilot-review': at(4),
    handoff: at(5),
    hypercare: at(6),
    pir: at(7),
    'kpi-monitoring': at(8),
    completed: at(9),
    killed: at(3, 1),
  },
};
