/**
 * The template's delivery settings in the inspector: which node's passing hands the result over
 * (the project's actual delivery date) and which roles record the actual cost besides the PMO.
 * Left empty, each takes its default, named in the field.
 */
import {
  costRecorderRoles,
  handoverNode,
  type Template,
  type TemplateDelivery,
} from '../../../../workflows/model';
import { withField } from '../../logic/edit';
import { RoleChecks, Section, SelectField } from './fields';

export function DeliveryFields({
  template,
  onChange,
}: {
  template: Template;
  onChange: (delivery: TemplateDelivery | undefined, mergeKey: string) => void;
}) {
  const delivery = template.delivery ?? {};
  // What an empty field means, from the same functions the runtime asks.
  const { delivery: _chosen, ...defaults } = template;
  const byDefault = handoverNode(defaults);
  const set = <K extends keyof TemplateDelivery>(key: K, value: TemplateDelivery[K]) => {
    const next = withField(delivery, key, value);
    onChange(Object.keys(next).length ? next : undefined, `delivery.${key}`);
  };
  return (
    <Section title="Delivery (actual vs the project's target date and budget)">
      <SelectField
        rel={['delivery', 'handover']}
        label="Delivered when this node passes"
        empty={`default: ${byDefault ? byDefault.name || byDefault.id : 'the project completes'}`}
        options={template.nodes
          .filter((n) => n.type !== 'end')
          .map((n) => ({ value: n.id, label: n.name || n.id }))}
        value={delivery.handover}
        onChange={(handover) => set('handover', handover)}
      />
      <RoleChecks
        rel={['delivery', 'costBy']}
        label="Record the actual cost (besides the PMO)"
        hint={`none ticked: the start node's owners (${costRecorderRoles(defaults).join(', ') || 'none'})`}
        value={delivery.costBy ?? []}
        onChange={(roles) => set('costBy', roles.length ? roles : undefined)}
      />
    </Section>
  );
}
