/**
 * The type-specific part of the node inspector: one form per node type with a field for every
 * field of SPEC §2. Optional fields are removed (not stored empty) when cleared.
 */
import { DECISIONS, type Decision, type NodeOf } from '../../../../workflows/model';
import { withField } from '../../logic/edit';
import { bindNode } from './bind';
import {
  CheckGroup,
  CheckboxField,
  DurationField,
  NumberField,
  RoleChecks,
  Section,
  SelectField,
  TextField,
} from './fields';
import { EscalationsEditor, IssueSlaEditor, SlaEditor } from './ladders';
import { CriteriaEditor, DeliverablesEditor, RulesEditor, type OnChange } from './lists';
import { ReadinessEditor } from './readiness';

interface Props<N> {
  node: N;
  edit: OnChange<N>;
}

/** The template's metrics, for the nodes that show or compare them (gates, reviews). */
type Metrics = { key: string; name: string }[];
type WithMetrics<N> = Props<N> & { metrics: Metrics };

const metricOptions = (metrics: Metrics) =>
  metrics.map((m) => ({ value: m.key, label: m.name || m.key }));

export function StageForm({ node, edit }: Props<NodeOf<'stage'>>) {
  return (
    <>
      <DeliverablesEditor {...bindNode(node, edit).items('deliverables')} />
      <SlaField node={node} edit={edit} />
    </>
  );
}

export function GateForm({ node, edit, metrics }: WithMetrics<NodeOf<'gate'>>) {
  const on = bindNode(node, edit);
  const decisions = node.decisions ?? [...DECISIONS];
  return (
    <>
      <SignoffRules node={node} edit={edit} />
      <CheckboxField
        label="Operations optional"
        hint="lets this gate run without an operations role among its signers"
        {...on.flag('opsOptional')}
      />
      <CheckboxField
        label="Operations agreed the metrics"
        hint="a go waits until an operations role agreed the project's metrics as they stand"
        {...on.flag('metricsAgreed')}
      />
      {metrics.length > 0 && (
        <CheckGroup
          label="Metrics shown with their values so far"
          hint="e.g. a pilot review compares the pilot's KPIs with baseline and target"
          options={metricOptions(metrics)}
          {...on.optionalChecks('metrics')}
        />
      )}
      <ReadinessEditor
        readiness={node.readiness}
        onChange={(readiness, k) => edit(withField(node, 'readiness', readiness), k)}
      />
      <CheckGroup
        rel={['decisions']}
        label="Decisions signers may take"
        hint="all four when every box is ticked"
        options={DECISIONS.map((d) => ({ value: d, label: d }))}
        value={decisions}
        onChange={(next) => {
          const ordered: Decision[] = DECISIONS.filter((d) => next.includes(d));
          edit(
            withField(node, 'decisions', ordered.length === DECISIONS.length ? undefined : ordered),
          );
        }}
      />
      <ScoringEditor node={node} edit={edit} />
      <DeliverablesEditor {...on.optionalItems('deliverables')} />
      <SlaField node={node} edit={edit} />
    </>
  );
}

/** The deadline of a stage or a gate, with its reminders and escalations. */
function SlaField<N extends NodeOf<'stage'> | NodeOf<'gate'>>({ node, edit }: Props<N>) {
  return (
    <SlaEditor
      rel={['sla']}
      sla={node.sla}
      onChange={(sla, k) => edit(withField(node, 'sla', sla), k)}
    />
  );
}

/** Who signs a gate or a review off, and how many of each role. */
function SignoffRules<N extends NodeOf<'gate'> | NodeOf<'review'>>({ node, edit }: Props<N>) {
  return (
    <RulesEditor
      rel={['signoff', 'rules']}
      label="Sign-off rules (quorum)"
      rules={node.signoff.rules}
      onChange={(rules, k) => edit({ ...node, signoff: { rules } }, k)}
    />
  );
}

const SEVERITIES = [
  { value: '1', label: '1 (critical only)' },
  { value: '2', label: '2 (critical and major)' },
  { value: '3', label: '3 (every issue)' },
];

export function HypercareForm({ node, edit }: Props<NodeOf<'hypercare'>>) {
  const on = bindNode(node, edit);
  return (
    <>
      <DurationField label="Duration" {...on.text('duration')} />
      <DurationField
        label="Extend by"
        hint="per extension; empty: no extensions"
        {...on.optionalText('extendBy')}
      />
      <NumberField label="Max extensions" min={0} step={1} {...on.number('maxExtensions')} />
      <SelectField
        rel={['blockingSeverity']}
        label="Blocking severity"
        hint="open issues of this severity or worse (1 = critical) block the exit and extend hypercare"
        empty="default (2: critical and major)"
        options={SEVERITIES}
        value={node.blockingSeverity === undefined ? undefined : String(node.blockingSeverity)}
        onChange={(v) =>
          edit(withField(node, 'blockingSeverity', v === undefined ? undefined : Number(v)))
        }
      />
      <RulesEditor
        rel={['exit', 'rules']}
        label="Exit sign-off rules"
        rules={node.exit.rules}
        onChange={(rules, k) => edit({ ...node, exit: { rules } }, k)}
      />
      <EscalationsEditor
        rel={['escalation']}
        label="Escalation ladder"
        afterHint="past expiry"
        levels={node.escalation}
        onChange={(escalation, k) => edit({ ...node, escalation }, k)}
      />
      <Section title="Who hears of it">
        <RoleChecks
          label="Told that hypercare started"
          hint="none checked: the operations roles and the exit signers"
          {...on.optionalChecks('notifyStart')}
        />
        <RoleChecks
          label="Told of each issue (and answer it with the owners)"
          hint="none checked: the operations roles"
          {...on.optionalChecks('notifyIssues')}
        />
      </Section>
      <IssueSlaEditor {...on.optionalItems('issueSla')} />
    </>
  );
}

/** The criteria a gate's or a review's sign-offs answer, and the score a go must reach. */
function ScoringEditor<N extends NodeOf<'gate'> | NodeOf<'review'>>({ node, edit }: Props<N>) {
  return (
    <>
      <CriteriaEditor
        rel={['criteria']}
        items={node.criteria ?? []}
        onChange={(criteria, k) =>
          edit(withField(node, 'criteria', criteria.length ? criteria : undefined), k)
        }
      />
      <NumberField
        rel={['passScore']}
        label="Pass score (0..1)"
        hint="minimum weighted should-score a go signer must give"
        min={0}
        max={1}
        step={0.05}
        value={node.passScore}
        onChange={(passScore) => edit(withField(node, 'passScore', passScore), 'passScore')}
      />
    </>
  );
}

export function ReviewForm({ node, edit, metrics }: WithMetrics<NodeOf<'review'>>) {
  return (
    <>
      <SignoffRules node={node} edit={edit} />
      <ScoringEditor node={node} edit={edit} />
      <Section title="Metrics compared">
        <CheckboxField
          rel={['allMetrics']}
          label="All metrics of the template"
          value={node.metrics === undefined}
          onChange={(all) =>
            edit(withField(node, 'metrics', all ? undefined : metrics.map((m) => m.key)))
          }
        />
        {node.metrics !== undefined && (
          <CheckGroup
            rel={['metrics']}
            label="Only these metrics"
            options={metricOptions(metrics)}
            value={node.metrics}
            onChange={(list) => edit({ ...node, metrics: list })}
          />
        )}
      </Section>
    </>
  );
}

export function MonitorForm({ node, edit }: Props<NodeOf<'monitor'>>) {
  const on = bindNode(node, edit);
  return (
    <>
      <DurationField label="Review every" {...on.text('every')} />
      <DurationField
        label="Review due within"
        hint="each review is the reviewers' to do this long after its period; empty: notify only"
        {...on.optionalText('reviewWithin')}
      />
      <RoleChecks label="Reviewers" {...on.checks('reviewers')} />
      <NumberField
        label="Alert after (consecutive misses)"
        hint="default 2"
        min={1}
        step={1}
        {...on.number('alertAfter')}
      />
      <RoleChecks
        label="Escalate to"
        hint="none ticked: the reviewers"
        {...on.optionalChecks('escalate')}
      />
    </>
  );
}

export function NotifyForm({ node, edit }: Props<NodeOf<'notify'>>) {
  const on = bindNode(node, edit);
  return (
    <>
      <RoleChecks label="Send to" {...on.checks('to')} />
      <TextField label="Message" multiline {...on.text('message')} />
    </>
  );
}

const RESULTS = ['completed', 'killed', 'cancelled'] as const;

export function EndForm({ node, edit }: Props<NodeOf<'end'>>) {
  return (
    <SelectField
      rel={['result']}
      label="Result"
      options={RESULTS.map((r) => ({ value: r, label: r }))}
      value={node.result}
      onChange={(v) => {
        const result = RESULTS.find((r) => r === v);
        if (result) edit({ ...node, result });
      }}
    />
  );
}
