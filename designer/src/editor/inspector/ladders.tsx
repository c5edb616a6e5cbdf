/**
 * Time-based parts of the node forms: SLA (due, reminders before due, escalation ladder after
 * it), the hypercare escalation ladder and the response and resolution times of its issues.
 */
import { SEVERITIES, type Escalation, type IssueSla, type Sla } from '../../../../workflows/model';
import { pathKey } from '../../logic/problems';
import {
  CheckboxField,
  DurationField,
  RoleChecks,
  SelectField,
  useField,
  type Path,
} from './fields';
import { ListEditor, withoutKey, type OnChange } from './lists';

export function EscalationsEditor({
  rel,
  label,
  levels,
  onChange,
  afterHint,
}: {
  rel: Path;
  label: string;
  levels: readonly Escalation[];
  onChange: OnChange<Escalation[]>;
  afterHint: string;
}) {
  return (
    <ListEditor
      rel={rel}
      label={label}
      addLabel="Add escalation level"
      items={levels}
      onChange={onChange}
      make={() => ({ after: levels.length === 0 ? 'PT0S' : 'P3D', notify: [] })}
      itemName={(_, i) => `escalation level ${i + 1}`}
      render={(e, i, set) => (
        <>
          <DurationField
            rel={[...rel, i, 'after']}
            label={`Level ${i + 1}: after`}
            hint={afterHint}
            value={e.after}
            onChange={(after) => set({ ...e, after }, 'after')}
          />
          <RoleChecks
            rel={[...rel, i, 'notify']}
            label="Notify roles"
            value={e.notify}
            onChange={(notify) => set({ ...e, notify }, 'notify')}
          />
        </>
      )}
    />
  );
}

export function DurationsEditor({
  rel,
  label,
  items,
  onChange,
  hint,
}: {
  rel: Path;
  label: string;
  items: readonly string[];
  onChange: OnChange<string[]>;
  hint: string;
}) {
  return (
    <ListEditor
      rel={rel}
      label={label}
      addLabel="Add reminder"
      items={items}
      onChange={onChange}
      make={() => 'P1D'}
      itemName={(d) => `reminder ${d}`}
      render={(d, i, set) => (
        <DurationField
          rel={[...rel, i]}
          label={`Reminder ${i + 1}`}
          hint={hint}
          value={d}
          onChange={(v) => set(v, '')}
        />
      )}
    />
  );
}

/** An optional SLA: due, reminders before due and an escalation ladder after it. */
export function SlaEditor({
  rel,
  sla,
  onChange,
}: {
  rel: Path;
  sla: Sla | undefined;
  onChange: OnChange<Sla | undefined>;
}) {
  const key = (field: string) => pathKey([...rel, field]);
  return (
    <fieldset className="gh-section" id={useField(rel).id} tabIndex={-1}>
      <legend>SLA</legend>
      <CheckboxField
        rel={[...rel, 'enabled']}
        label="Has an SLA"
        value={sla !== undefined}
        onChange={(on) => onChange(on ? { due: 'P10D' } : undefined)}
      />
      {sla && (
        <>
          <DurationField
            rel={[...rel, 'due']}
            label="Due after"
            hint="from entering the node"
            value={sla.due}
            onChange={(due) => onChange({ ...sla, due }, key('due'))}
          />
          <DurationsEditor
            rel={[...rel, 'remind']}
            label="Reminders (before due)"
            hint="this long before the due date"
            items={sla.remind ?? []}
            onChange={(remind, k) =>
              onChange(remind.length ? { ...sla, remind } : withoutKey(sla, 'remind'), k)
            }
          />
          <EscalationsEditor
            rel={[...rel, 'escalate']}
            label="Escalation ladder"
            afterHint="past the due date"
            levels={sla.escalate ?? []}
            onChange={(escalate, k) =>
              onChange(escalate.length ? { ...sla, escalate } : withoutKey(sla, 'escalate'), k)
            }
          />
        </>
      )}
    </fieldset>
  );
}

/** Hypercare issues' response and resolution times per severity, each with its own ladder. */
export function IssueSlaEditor({
  rel,
  items,
  onChange,
}: {
  rel: Path;
  items: readonly IssueSla[];
  onChange: OnChange<IssueSla[]>;
}) {
  const free = SEVERITIES.find((s) => !items.some((i) => i.severity === s.level))?.level ?? 3;
  return (
    <ListEditor
      rel={rel}
      label="Issue response and resolution times"
      addLabel="Add times for a severity"
      items={items}
      onChange={onChange}
      make={() => ({ severity: free, respond: 'PT4H', resolve: 'P2D' })}
      itemName={(t) => `times for severity ${t.severity}`}
      render={(t, i, set) => (
        <>
          <SelectField
            rel={[...rel, i, 'severity']}
            label="Severity"
            options={SEVERITIES.map((s) => ({
              value: String(s.level),
              label: `${s.level} – ${s.name}`,
            }))}
            value={String(t.severity)}
            onChange={(v) => set({ ...t, severity: Number(v ?? t.severity) }, 'severity')}
          />
          <DurationField
            rel={[...rel, i, 'respond']}
            label="First response within"
            hint="from raising the issue; missed: the owners and the PMO are told"
            value={t.respond}
            onChange={(respond) => set({ ...t, respond }, 'respond')}
          />
          <DurationField
            rel={[...rel, i, 'resolve']}
            label="Resolution within"
            hint="from raising the issue"
            value={t.resolve}
            onChange={(resolve) => set({ ...t, resolve }, 'resolve')}
          />
          <DurationsEditor
            rel={[...rel, i, 'remind']}
            label="Reminders (before the resolution is due)"
            hint="this long before the resolution is due"
            items={t.remind ?? []}
            onChange={(remind) =>
              set(remind.length ? { ...t, remind } : withoutKey(t, 'remind'), 'remind')
            }
          />
          <EscalationsEditor
            rel={[...rel, i, 'escalate']}
            label="Escalation ladder"
            afterHint="past the resolution due date"
            levels={t.escalate ?? []}
            onChange={(escalate) =>
              set(escalate.length ? { ...t, escalate } : withoutKey(t, 'escalate'), 'escalate')
            }
          />
        </>
      )}
    />
  );
}
