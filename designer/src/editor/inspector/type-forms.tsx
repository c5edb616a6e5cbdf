/**
 * The type-specific part of the node inspector: one form per node type with a field for every
 * field of SPEC §2. Optional fields are removed (not stored empty) when cleared.
 */
import { DECISIONS, type Decision, type NodeOf } from '../../../../workflows/model';
import { withField } from '../../logic/edit';
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

export function StageForm({ node, edit }: Props<NodeOf<'stage'>>) {
  return (
    <>
      <DeliverablesEditor
        rel={['deliverables']}
        items={node.deliverables}
        onChange={(deliverables, k) => edit({ ...node, deliverables }, k)}
      />
      <SlaEditor
        rel={['sla']}
        sla={node.sla}
        onChange={(sla, k) => edit(withField(node, 'sla', sla), k)}
      />
    </>
  );
}

export function GateForm({
  node,
  edit,
  metrics,
}: Props<NodeOf<'gate'>> & { metrics: { key: string; name: string }[] }) {
  const decisions = node.decisions ?? [...DECISIONS];
  return (
    <>
      <RulesEditor
        rel={['signoff', 'rules']}
        label="Sign-off rules (quorum)"
        rules={node.signoff.rules}
        onChange={(rules, k) => edit({ ...node, signoff: { rules } }, k)}
      />
      <CheckboxField
        rel={['opsOptional']}
        label="Operations optional"
        hint="lets this gate run without an operations role among its signers"
        value={node.opsOptional === true}
        onChange={(on) => edit(withField(node, 'opsOptional', on || undefined))}
      />
      <CheckboxField
        rel={['metricsAgreed']}
        label="Operations agreed the metrics"
        hint="a go waits until an operations role agreed the project's metrics as they stand"
        value={node.metricsAgreed === true}
        onChange={(on) => edit(withField(node, 'metricsAgreed', on || undefined))}
      />
      {metrics.length > 0 && (
        <CheckGroup
          rel={['metrics']}
          label="Metrics shown with their values so far"
          hint="e.g. a pilot review compares the pilot's KPIs with baseline and target"
          options={metrics.map((m) => ({ value: m.key, label: m.name || m.key }))}
          value={node.metrics ?? []}
          onChange={(list) => edit(withField(node, 'metrics', list.length ? list : undefined))}
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
      <DeliverablesEditor
        rel={['deliverables']}
        items={node.deliverables ?? []}
        onChange={(deliverables, k) =>
          edit(withField(node, 'deliverables', deliverables.length ? deliverables : undefined), k)
        }
      />
      <SlaEditor
        rel={['sla']}
        sla={node.sla}
        onChange={(sla, k) => edit(withField(node, 'sla', sla), k)}
      />
    </>
  );
}

const SEVERITIES = [
  { value: '1', label: '1 (critical only)' },
  { value: '2', label: '2 (critical and major)' },
  { value: '3', label: '3 (every issue)' },
];

export function HypercareForm({ node, edit }: Props<NodeOf<'hypercare'>>) {
  return (
    <>
      <DurationField
        rel={['duration']}
        label="Duration"
        value={node.duration}
        onChange={(duration) => edit({ ...node, duration }, 'duration')}
      />
      <DurationField
        rel={['extendBy']}
        label="Extend by"
        hint="per extension; empty: no extensions"
        value={node.extendBy ?? ''}
        onChange={(v) => edit(withField(node, 'extendBy', v || undefined), 'extendBy')}
      />
      <NumberField
        rel={['maxExtensions']}
        label="Max extensions"
        min={0}
        step={1}
        value={node.maxExtensions}
        onChange={(v) => edit(withField(node, 'maxExtensions', v), 'maxExtensions')}
      />
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
          rel={['notifyStart']}
          label="Told that hypercare started"
          hint="none checked: the operations roles and the exit signers"
          value={node.notifyStart ?? []}
          onChange={(roles) =>
            edit(withField(node, 'notifyStart', roles.length ? roles : undefined))
          }
        />
        <RoleChecks
          rel={['notifyIssues']}
          label="Told of each issue (and answer it with the owners)"
          hint="none checked: the operations roles"
          value={node.notifyIssues ?? []}
          onChange={(roles) =>
            edit(withField(node, 'notifyIssues', roles.length ? roles : undefined))
          }
        />
      </Section>
      <IssueSlaEditor
        rel={['issueSla']}
        items={node.issueSla ?? []}
        onChange={(issueSla, k) =>
          edit(withField(node, 'issueSla', issueSla.length ? issueSla : undefined), k)
        }
      />
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

export function ReviewForm({
  node,
  edit,
  metrics,
}: Props<NodeOf<'review'>> & { metrics: { key: string; name: string }[] }) {
  return (
    <>
      <RulesEditor
        rel={['signoff', 'rules']}
        label="Sign-off rules (quorum)"
        rules={node.signoff.rules}
        onChange={(rules, k) => edit({ ...node, signoff: { rules } }, k)}
      />
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
            options={metrics.map((m) => ({ value: m.key, label: m.name || m.key }))}
            value={node.metrics}
            onChange={(list) => edit({ ...node, metrics: list })}
          />
        )}
      </Section>
    </>
  );
}

export function MonitorForm({ node, edit }: Props<NodeOf<'monitor'>>) {
  return (
    <>
      <DurationField
        rel={['every']}
        label="Review every"
        value={node.every}
        onChange={(every) => edit({ ...node, every }, 'every')}
      />
      <DurationField
        rel={['reviewWithin']}
        label="Review due within"
        hint="each review is the reviewers' to do this long after its period; empty: notify only"
        value={node.reviewWithin ?? ''}
        onChange={(v) => edit(withField(node, 'reviewWithin', v || undefined), 'reviewWithin')}
      />
      <RoleChecks
        rel={['reviewers']}
        label="Reviewers"
        value={node.reviewers}
        onChange={(reviewers) => edit({ ...node, reviewers })}
      />
      <NumberField
        rel={['alertAfter']}
        label="Alert after (consecutive misses)"
        hint="default 2"
        min={1}
        step={1}
        value={node.alertAfter}
        onChange={(v) => edit(withField(node, 'alertAfter', v), 'alertAfter')}
      />
      <RoleChecks
        rel={['escalate']}
        label="Escalate to"
        hint="none ticked: the reviewers"
        value={node.escalate ?? []}
        onChange={(list) => edit(withField(node, 'escalate', list.length ? list : undefined))}
      />
    </>
  );
}

export function NotifyForm({ node, edit }: Props<NodeOf<'notify'>>) {
  return (
    <>
      <RoleChecks
        rel={['to']}
        label="Send to"
        value={node.to}
        onChange={(to) => edit({ ...node, to })}
      />
      <TextField
        rel={['message']}
        label="Message"
        multiline
        value={node.message}
        onChange={(message) => edit({ ...node, message }, 'message')}
      />
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
