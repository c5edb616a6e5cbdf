/**
 * Metric, delivery and readiness rules of template validation: an allowed range that holds the
 * template's values; a handover node that exists and can pass, cost recorders that are roles;
 * an operations role for a gate to wait for when it needs operations' agreement or their
 * confirmation of the support model; each readiness item named once.
 */
import { inRange, rangeText } from './project-metrics';
import type { Template } from './template';
import type { TemplateError } from './validate';

/** A range whose `min` exceeds its `max`, or a template baseline or target outside it. */
export function metricRangeErrors(template: Template): TemplateError[] {
  const errors: TemplateError[] = [];
  (template.metrics ?? []).forEach((metric, i) => {
    if (metric.min !== undefined && metric.max !== undefined && metric.min > metric.max) {
      errors.push({
        path: ['metrics', i, 'min'],
        code: 'metric_out_of_range',
        message: `min ${metric.min} is above max ${metric.max}`,
      });
      return;
    }
    for (const field of ['baseline', 'target'] as const) {
      const value = metric[field];
      if (value === undefined || inRange(metric, value)) continue;
      errors.push({
        path: ['metrics', i, field],
        code: 'metric_out_of_range',
        message: `${field} ${value} is outside the allowed range (${rangeText(metric)})`,
      });
    }
  });
  const ops = template.roles.some((role) => role.operations);
  template.nodes.forEach((node, i) => {
    if (node.type !== 'gate') return;
    const at = (...path: (string | number)[]) => ({ path: ['nodes', i, ...path], nodeId: node.id });
    const noOps = (what: string) =>
      `gate "${node.id}" waits for operations to ${what}, but no role is marked "operations": true`;
    if (node.metricsAgreed === true && !ops) {
      const message = noOps('agree the metrics');
      errors.push({ ...at('metricsAgreed'), code: 'no_operations_role', message });
    }
    if (node.readiness?.supportModel === true && !ops) {
      const message = noOps('confirm the support model');
      errors.push({ ...at('readiness', 'supportModel'), code: 'no_operations_role', message });
    }
    const lists = [
      ['groups', node.readiness?.groups ?? []],
      ['training', node.readiness?.training?.roles ?? []],
    ] as const;
    for (const [field, items] of lists) {
      const seen = new Set<string>();
      items.forEach((item, j) => {
        if (!seen.has(item.key)) return void seen.add(item.key);
        const path = field === 'groups' ? ['groups', j, 'key'] : ['training', 'roles', j, 'key'];
        const message = `readiness ${field === 'groups' ? 'group' : 'role'} "${item.key}" is listed twice`;
        errors.push({ ...at('readiness', ...path), code: 'duplicate_id', message });
      });
    }
  });
  return errors;
}

/** A handover node the template lacks or that never passes (an end); cost recorders unknown. */
export function deliveryErrors(template: Template): TemplateError[] {
  const errors: TemplateError[] = [];
  const handover = template.delivery?.handover;
  if (handover !== undefined) {
    const node = template.nodes.find((n) => n.id === handover);
    const path = ['delivery', 'handover'];
    if (!node) {
      errors.push({ path, code: 'unknown_node', message: `node "${handover}" does not exist` });
    } else if (node.type === 'end') {
      const message = `"${handover}" is an end: a project never passes it to hand its result over`;
      errors.push({ path, nodeId: handover, code: 'outcome_not_produced', message });
    }
  }
  const roles = new Set(template.roles.map((r) => r.key));
  template.delivery?.costBy?.forEach((role, i) => {
    if (roles.has(role)) return;
    errors.push({
      path: ['delivery', 'costBy', i],
      code: 'unknown_role',
      message: `role "${role}" is not defined in roles`,
    });
  });
  return errors;
}
