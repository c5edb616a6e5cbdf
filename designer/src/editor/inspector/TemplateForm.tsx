/**
 * The inspector when nothing is selected: the template's own fields — key, name, description,
 * start node, roles (with the `operations` flag), success metrics and how delivery is measured.
 */
import type { Metric, Role, Template } from '../../../../workflows/model';
import { nextSlug, renameRole, roleKeyProblem, withField } from '../../logic/edit';
import { CheckboxField, NumberField, RenameField, SelectField, TextField } from './fields';
import { DeliveryFields } from './delivery';
import { ListEditor } from './lists';

const DIRECTIONS = [
  { value: 'increase', label: 'increase (higher is better)' },
  { value: 'decrease', label: 'decrease (lower is better)' },
];

export function TemplateForm({
  template,
  edit,
}: {
  template: Template;
  edit: (next: Template, mergeKey?: string) => void;
}) {
  const set = <K extends keyof Template>(key: K, value: Template[K] | undefined, merge = true) =>
    edit(withField(template, key, value), merge ? `template:${String(key)}` : undefined);
  return (
    <>
      <TextField
        rel={['key']}
        label="Key"
        hint="a slug; the draft is saved under it"
        value={template.key}
        onChange={(key) => set('key', key)}
      />
      <TextField
        rel={['name']}
        label="Name"
        value={template.name}
        onChange={(name) => set('name', name)}
      />
      <TextField
        rel={['description']}
        label="Description"
        multiline
        value={template.description ?? ''}
        onChange={(d) => set('description', d || undefined)}
      />
      <SelectField
        rel={['start']}
        label="Start node"
        options={template.nodes.map((n) => ({ value: n.id, label: n.name || n.id }))}
        value={template.start}
        onChange={(start) => set('start', start ?? '', false)}
      />
      <ListEditor<Role>
        rel={['roles']}
        label="Roles"
        addLabel="Add role"
        items={template.roles}
        onChange={(roles, k) => edit({ ...template, roles }, k && `template:${k}`)}
        make={() => ({
          key: nextSlug(
            'role',
            template.roles.map((r) => r.key),
          ),
          name: '',
        })}
        itemName={(r, i) => `role ${r.name || r.key || i + 1}`}
        render={(r, i, update) => (
          <>
            <TextField
              rel={['roles', i, 'name']}
              label="Name"
              value={r.name}
              onChange={(name) => update({ ...r, name }, 'name')}
            />
            <RenameField
              rel={['roles', i, 'key']}
              label="Key"
              value={r.key}
              problem={(key) => roleKeyProblem(template, r.key, key)}
              onRename={(key) => edit(renameRole(template, r.key, key))}
            />
            <CheckboxField
              rel={['roles', i, 'operations']}
              label="Operations role"
              hint="an ops-side role; one must sign every gate, PIR and hypercare exit"
              value={r.operations === true}
              onChange={(on) => update(withField(r, 'operations', on || undefined), 'operations')}
            />
          </>
        )}
      />
      <ListEditor<Metric>
        rel={['metrics']}
        label="Success metrics"
        addLabel="Add metric"
        items={template.metrics ?? []}
        onChange={(metrics, k) =>
          edit(
            withField(template, 'metrics', metrics.length ? metrics : undefined),
            k && `template:${k}`,
          )
        }
        make={() => ({
          key: nextSlug(
            'metric',
            (template.metrics ?? []).map((m) => m.key),
          ),
          name: '',
          target: 0,
          direction: 'increase',
        })}
        itemName={(m, i) => `metric ${m.name || m.key || i + 1}`}
        render={(m, i, update) => (
          <>
            <TextField
              rel={['metrics', i, 'name']}
              label="Name"
              value={m.name}
              onChange={(name) => update({ ...m, name }, 'name')}
            />
            <TextField
              rel={['metrics', i, 'key']}
              label="Key"
              value={m.key}
              onChange={(key) => update({ ...m, key }, 'key')}
            />
            <TextField
              rel={['metrics', i, 'unit']}
              label="Unit"
              value={m.unit ?? ''}
              onChange={(unit) => update(withField(m, 'unit', unit || undefined), 'unit')}
            />
            <NumberField
              rel={['metrics', i, 'baseline']}
              label="Baseline"
              value={m.baseline}
              onChange={(baseline) => update(withField(m, 'baseline', baseline), 'baseline')}
            />
            <NumberField
              rel={['metrics', i, 'target']}
              label="Target"
              value={m.target}
              onChange={(target) => update({ ...m, target: target ?? 0 }, 'target')}
            />
            <NumberField
              rel={['metrics', i, 'min']}
              label="Projects may agree from"
              hint="lowest baseline or target a project may set; empty: any"
              value={m.min}
              onChange={(min) => update(withField(m, 'min', min), 'min')}
            />
            <NumberField
              rel={['metrics', i, 'max']}
              label="Projects may agree up to"
              hint="highest baseline or target a project may set; empty: any"
              value={m.max}
              onChange={(max) => update(withField(m, 'max', max), 'max')}
            />
            <SelectField
              rel={['metrics', i, 'direction']}
              label="Direction"
              options={DIRECTIONS}
              value={m.direction}
              onChange={(d) =>
                update({ ...m, direction: d === 'decrease' ? 'decrease' : 'increase' }, 'direction')
              }
            />
          </>
        )}
      />
      <DeliveryFields
        template={template}
        onChange={(delivery, k) => edit(withField(template, 'delivery', delivery), `template:${k}`)}
      />
    </>
  );
}
