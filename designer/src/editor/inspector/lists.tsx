/**
 * List editors shared by the node forms: deliverables, quorum rules, criteria (escalation
 * ladders and SLAs are in ladders.tsx). Each item is edited in place; add/remove are single undo steps,
 * typing into one item's field merges into one (the merge key is the field's path).
 */
import { useContext, type ReactNode } from 'react';
import type { Criterion, Deliverable, Rule } from '../../../../workflows/model';
import { nextSlug } from '../../logic/edit';
import { pathKey } from '../../logic/problems';
import {
  CheckboxField,
  Messages,
  NumberField,
  RoleSelect,
  ScopeContext,
  SelectField,
  TextField,
  useField,
  type Path,
} from './fields';

/** `mergeKey`: consecutive edits with the same key collapse into one undo step. */
export type OnChange<T> = (next: T, mergeKey?: string) => void;

/** `obj` without `key`: optional fields are dropped rather than stored empty. */
export function withoutKey<T extends object, K extends keyof T>(obj: T, key: K): T {
  const next = { ...obj };
  delete next[key];
  return next;
}

export function ListEditor<T>({
  rel,
  label,
  items,
  make,
  onChange,
  render,
  itemName,
  addLabel,
}: {
  rel: Path;
  label: string;
  items: readonly T[];
  make: () => T;
  onChange: OnChange<T[]>;
  render: (item: T, index: number, update: (next: T, field: string) => void) => ReactNode;
  itemName: (item: T, index: number) => string;
  addLabel: string;
}) {
  const f = useField(rel);
  const { testPrefix } = useContext(ScopeContext);
  const testKey = `${testPrefix}${pathKey(rel)}`;
  return (
    <fieldset className="gh-list" id={f.id} tabIndex={-1} {...f.aria}>
      <legend>{label}</legend>
      <Messages id={f.errorId} messages={f.messages} />
      {items.length === 0 && <p className="gh-muted gh-small">None yet.</p>}
      <ol>
        {items.map((item, index) => (
          <li key={index} className="gh-item">
            <div className="gh-item-fields">
              {render(item, index, (next, field) =>
                onChange(
                  items.map((x, i) => (i === index ? next : x)),
                  pathKey([...rel, index, field]),
                ),
              )}
            </div>
            <button
              type="button"
              className="gh-remove"
              data-testid={`remove-${testKey}.${index}`}
              aria-label={`Remove ${itemName(item, index)}`}
              onClick={() => onChange(items.filter((_, i) => i !== index))}
            >
              ×
            </button>
          </li>
        ))}
      </ol>
      <button
        type="button"
        className="gh-add"
        data-testid={`add-${testKey}`}
        onClick={() => onChange([...items, make()])}
      >
        + {addLabel}
      </button>
    </fieldset>
  );
}

export function DeliverablesEditor({
  rel,
  items,
  onChange,
}: {
  rel: Path;
  items: readonly Deliverable[];
  onChange: OnChange<Deliverable[]>;
}) {
  return (
    <ListEditor
      rel={rel}
      label="Deliverables"
      addLabel="Add deliverable"
      items={items}
      onChange={onChange}
      make={() => ({
        id: nextSlug(
          'deliverable',
          items.map((d) => d.id),
        ),
        name: '',
        required: true,
      })}
      itemName={(d, i) => `deliverable ${d.name || d.id || i + 1}`}
      render={(d, i, set) => (
        <>
          <TextField
            rel={[...rel, i, 'name']}
            label="Name"
            value={d.name}
            onChange={(name) => set({ ...d, name }, 'name')}
          />
          <TextField
            rel={[...rel, i, 'id']}
            label="Id"
            value={d.id}
            onChange={(id) => set({ ...d, id }, 'id')}
          />
          <CheckboxField
            rel={[...rel, i, 'required']}
            label="Required"
            value={d.required}
            onChange={(required) => set({ ...d, required }, 'required')}
          />
        </>
      )}
    />
  );
}

/** Quorum rules: at least `min` distinct users holding `role` sign. */
export function RulesEditor({
  rel,
  label,
  rules,
  onChange,
}: {
  rel: Path;
  label: string;
  rules: readonly Rule[];
  onChange: OnChange<Rule[]>;
}) {
  const { roles } = useContext(ScopeContext);
  return (
    <ListEditor
      rel={rel}
      label={label}
      addLabel="Add rule"
      items={rules}
      onChange={onChange}
      make={() => ({
        role: roles.find((r) => !rules.some((x) => x.role === r.key))?.key ?? '',
        min: 1,
      })}
      itemName={(r, i) => `rule ${r.role || i + 1}`}
      render={(r, i, set) => (
        <>
          <RoleSelect
            rel={[...rel, i, 'role']}
            label="Role"
            value={r.role}
            onChange={(role) => set({ ...r, role: role ?? '' }, 'role')}
          />
          <NumberField
            rel={[...rel, i, 'min']}
            label="Min signers"
            min={1}
            step={1}
            value={r.min}
            onChange={(min) => set({ ...r, min: min ?? 1 }, 'min')}
          />
        </>
      )}
    />
  );
}

export function CriteriaEditor({
  rel,
  items,
  onChange,
}: {
  rel: Path;
  items: readonly Criterion[];
  onChange: OnChange<Criterion[]>;
}) {
  const kinds = [
    { value: 'must', label: 'must (asserted met)' },
    { value: 'should', label: 'should (scored 0..10)' },
  ];
  return (
    <ListEditor<Criterion>
      rel={rel}
      label="Criteria"
      addLabel="Add criterion"
      items={items}
      onChange={onChange}
      make={() => ({
        id: nextSlug(
          'criterion',
          items.map((c) => c.id),
        ),
        text: '',
        kind: 'must',
      })}
      itemName={(c, i) => `criterion ${c.id || i + 1}`}
      render={(c, i, set) => (
        <>
          <TextField
            rel={[...rel, i, 'text']}
            label="Text"
            value={c.text}
            onChange={(text) => set({ ...c, text }, 'text')}
          />
          <TextField
            rel={[...rel, i, 'id']}
            label="Id"
            value={c.id}
            onChange={(id) => set({ ...c, id }, 'id')}
          />
          <SelectField
            rel={[...rel, i, 'kind']}
            label="Kind"
            options={kinds}
            value={c.kind}
            onChange={(kind) =>
              set(
                kind === 'should' ? { ...c, kind } : withoutKey({ ...c, kind: 'must' }, 'weight'),
                'kind',
              )
            }
          />
          {c.kind === 'should' && (
            <NumberField
              rel={[...rel, i, 'weight']}
              label="Weight"
              hint="relative weight; default 1"
              min={0}
              value={c.weight}
              onChange={(weight) =>
                set(weight === undefined ? withoutKey(c, 'weight') : { ...c, weight }, 'weight')
              }
            />
          )}
        </>
      )}
    />
  );
}
