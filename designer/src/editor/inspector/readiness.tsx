/**
 * A gate's readiness checklist in the node inspector: affected groups with the ADKAR stage each
 * must reach, roles to train with the coverage they need (a percentage), and whether operations
 * must confirm the support model. Emptied parts are removed, an empty checklist too.
 */
import {
  ADKAR_STAGES,
  DEFAULT_ADKAR_STAGE,
  type AdkarStage,
  type Readiness,
} from '../../../../workflows/model';
import { nextSlug } from '../../logic/edit';
import { CheckboxField, NumberField, Section, SelectField, TextField } from './fields';
import { ListEditor, type OnChange } from './lists';

type Group = NonNullable<Readiness['groups']>[number];
type Role = NonNullable<Readiness['training']>['roles'][number];

const STAGES = ADKAR_STAGES.map((s, i) => ({ value: s, label: `${i + 1}. ${s}` }));
/** 0..1 as a whole percentage and back. */
const toPct = (share: number | undefined) =>
  share === undefined ? undefined : Math.round(share * 100);
const fromPct = (pct: number | undefined) => (pct === undefined ? undefined : pct / 100);

/** The checklist with empty parts dropped; undefined when nothing is left. */
function tidy(r: Readiness): Readiness | undefined {
  const next: Readiness = {
    ...(r.groups?.length && { groups: r.groups }),
    ...(r.training?.roles.length && { training: r.training }),
    ...(r.supportModel && { supportModel: true }),
  };
  return Object.keys(next).length ? next : undefined;
}

export function ReadinessEditor({
  readiness = {},
  onChange,
}: {
  readiness: Readiness | undefined;
  onChange: OnChange<Readiness | undefined>;
}) {
  const rel = ['readiness'];
  const groups = readiness.groups ?? [];
  const training = readiness.training ?? { min: 0.9, roles: [] };
  const set = (next: Readiness, key?: string) => onChange(tidy(next), key);
  return (
    <Section rel={rel} title="Readiness checklist (a go waits for it)">
      <ListEditor<Group>
        rel={[...rel, 'groups']}
        label="Affected groups (ADKAR)"
        addLabel="Add affected group"
        items={groups}
        onChange={(list, k) => set({ ...readiness, groups: list }, k)}
        make={() => ({
          key: nextSlug(
            'group',
            groups.map((g) => g.key),
          ),
          name: '',
        })}
        itemName={(g, i) => `group ${g.name || g.key || i + 1}`}
        render={(g, i, update) => (
          <>
            <TextField
              rel={[...rel, 'groups', i, 'name']}
              label="Name"
              value={g.name}
              onChange={(name) => update({ ...g, name }, 'name')}
            />
            <TextField
              rel={[...rel, 'groups', i, 'key']}
              label="Key"
              value={g.key}
              onChange={(key) => update({ ...g, key }, 'key')}
            />
            <SelectField
              rel={[...rel, 'groups', i, 'stage']}
              label="Stage needed"
              value={g.stage ?? DEFAULT_ADKAR_STAGE}
              options={STAGES}
              onChange={(stage) =>
                update(
                  stage && stage !== DEFAULT_ADKAR_STAGE
                    ? { ...g, stage: stage as AdkarStage }
                    : { key: g.key, name: g.name },
                  'stage',
                )
              }
            />
          </>
        )}
      />
      <NumberField
        rel={[...rel, 'training', 'min']}
        label="Training coverage needed (%)"
        hint="trained / total people in each role; a role may set its own"
        min={0}
        max={100}
        value={toPct(training.min)}
        onChange={(pct) =>
          set({ ...readiness, training: { ...training, min: fromPct(pct) ?? 0 } }, 'training.min')
        }
      />
      <ListEditor<Role>
        rel={[...rel, 'training', 'roles']}
        label="Roles to train"
        addLabel="Add role to train"
        items={training.roles}
        onChange={(roles, k) => set({ ...readiness, training: { ...training, roles } }, k)}
        make={() => ({
          key: nextSlug(
            'role',
            training.roles.map((r) => r.key),
          ),
          name: '',
        })}
        itemName={(r, i) => `role ${r.name || r.key || i + 1}`}
        render={(r, i, update) => (
          <>
            <TextField
              rel={[...rel, 'training', 'roles', i, 'name']}
              label="Name"
              value={r.name}
              onChange={(name) => update({ ...r, name }, 'name')}
            />
            <TextField
              rel={[...rel, 'training', 'roles', i, 'key']}
              label="Key"
              value={r.key}
              onChange={(key) => update({ ...r, key }, 'key')}
            />
            <NumberField
              rel={[...rel, 'training', 'roles', i, 'min']}
              label="Own coverage (%)"
              min={0}
              max={100}
              value={toPct(r.min)}
              onChange={(pct) =>
                update(
                  pct === undefined ? { key: r.key, name: r.name } : { ...r, min: fromPct(pct)! },
                  'min',
                )
              }
            />
          </>
        )}
      />
      <CheckboxField
        rel={[...rel, 'supportModel']}
        label="Support model confirmed by operations"
        hint="an operations participant confirms the support model is in place"
        value={readiness.supportModel === true}
        onChange={(on) => set({ ...readiness, supportModel: on }, 'supportModel')}
      />
    </Section>
  );
}
