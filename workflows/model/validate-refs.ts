/**
 * Identity and reference rules of template validation: duplicate ids, references to roles and
 * metrics the template does not define, and operations at every gate, PIR and hypercare exit.
 */
import { signoffRules } from './signers';
import type { Node, Template } from './template';
import type { TemplateError } from './validate';

type Path = (string | number)[];

/** Second and later occurrences of ids that must be unique, each at its id field. */
export function duplicateErrors(template: Template): TemplateError[] {
  const errors = [
    ...repeated(template.roles, 'key', ['roles'], 'role'),
    ...repeated(template.metrics ?? [], 'key', ['metrics'], 'metric'),
    ...repeated(template.nodes, 'id', ['nodes'], 'node'),
  ];
  template.nodes.forEach((node, i) => {
    const at: Path = ['nodes', i];
    const found: TemplateError[] = [];
    if ((node.type === 'stage' || node.type === 'gate') && node.deliverables) {
      found.push(...repeated(node.deliverables, 'id', [...at, 'deliverables'], 'deliverable'));
    }
    if ((node.type === 'gate' || node.type === 'review') && node.criteria) {
      found.push(...repeated(node.criteria, 'id', [...at, 'criteria'], 'criterion'));
    }
    if (node.type === 'hypercare' && node.issueSla) {
      // Two entries for one severity: which response time applies?
      const bySeverity = node.issueSla.map((sla) => ({ severity: String(sla.severity) }));
      found.push(
        ...repeated(bySeverity, 'severity', [...at, 'issueSla'], 'issue SLA for severity'),
      );
    }
    const signoff = signoffRules(node);
    if (signoff) {
      // Two rules for one role make the quorum ambiguous: which `min` applies?
      const rules = repeated(signoff.rules, 'role', [...at, ...signoff.path], 'rule for role');
      found.push(...rules.map((error) => ({ ...error, code: 'duplicate_rule' as const })));
    }
    errors.push(...found.map((error) => ({ ...error, nodeId: node.id })));
  });
  return errors;
}

/** An error for each item whose `field` repeats an earlier item's. */
function repeated<F extends string>(
  items: readonly Record<F, string>[],
  field: F,
  at: Path,
  what: string,
): TemplateError[] {
  const first = new Map<string, number>();
  const errors: TemplateError[] = [];
  items.forEach((item, i) => {
    const id = item[field];
    const firstIndex = first.get(id);
    if (firstIndex === undefined) {
      first.set(id, i);
      return;
    }
    errors.push({
      path: [...at, i, field],
      code: 'duplicate_id',
      message: `${what} "${id}" is already defined at ${[...at, firstIndex].join('.')}`,
    });
  });
  return errors;
}

/** References to roles and metrics that the template does not define. */
export function referenceErrors(template: Template): TemplateError[] {
  const roles = new Set(template.roles.map((role) => role.key));
  const metrics = new Set((template.metrics ?? []).map((metric) => metric.key));
  const errors: TemplateError[] = [];
  template.nodes.forEach((node, i) => {
    for (const ref of roleRefs(node)) {
      if (roles.has(ref.role)) continue;
      errors.push({
        path: ['nodes', i, ...ref.path],
        nodeId: node.id,
        code: 'unknown_role',
        message: `role "${ref.role}" is not defined in roles`,
      });
    }
    if (node.type !== 'review' && node.type !== 'gate') return;
    node.metrics?.forEach((key, m) => {
      if (metrics.has(key)) return;
      errors.push({
        path: ['nodes', i, 'metrics', m],
        nodeId: node.id,
        code: 'unknown_metric',
        message: `metric "${key}" is not defined in metrics`,
      });
    });
  });
  return errors;
}

/** Every role key a node names, with its path inside the node. */
function roleRefs(node: Node): { path: Path; role: string }[] {
  const refs: { path: Path; role: string }[] = [];
  const list = (path: Path, roles: readonly string[]) =>
    roles.forEach((role, k) => refs.push({ path: [...path, k], role }));
  if (node.owner !== undefined) refs.push({ path: ['owner'], role: node.owner });
  if (node.owners) list(['owners'], node.owners);
  const signoff = signoffRules(node);
  signoff?.rules.forEach((rule, k) =>
    refs.push({ path: [...signoff.path, k, 'role'], role: rule.role }),
  );
  const escalations =
    node.type === 'hypercare'
      ? { path: ['escalation'], levels: node.escalation }
      : (node.type === 'stage' || node.type === 'gate') && node.sla?.escalate
        ? { path: ['sla', 'escalate'], levels: node.sla.escalate }
        : undefined;
  escalations?.levels.forEach((level, k) => list([...escalations.path, k, 'notify'], level.notify));
  if (node.type === 'monitor') {
    list(['reviewers'], node.reviewers);
    if (node.escalate) list(['escalate'], node.escalate);
  }
  if (node.type === 'notify') list(['to'], node.to);
  if (node.type === 'hypercare') {
    if (node.notifyStart) list(['notifyStart'], node.notifyStart);
    if (node.notifyIssues) list(['notifyIssues'], node.notifyIssues);
    node.issueSla?.forEach((sla, s) =>
      sla.escalate?.forEach((level, k) =>
        list(['issueSla', s, 'escalate', k, 'notify'], level.notify),
      ),
    );
  }
  return refs;
}

/** Gates (unless `opsOptional`), PIRs and hypercare exits must have an operations signer. */
export function opsRoleErrors(template: Template): TemplateError[] {
  const ops = new Set(template.roles.filter((role) => role.operations).map((role) => role.key));
  const errors: TemplateError[] = [];
  template.nodes.forEach((node, i) => {
    const signoff = signoffRules(node);
    if (!signoff || (node.type === 'gate' && node.opsOptional)) return;
    if (signoff.rules.some((rule) => ops.has(rule.role))) return;
    const hint =
      ops.size === 0
        ? 'no role is marked "operations": true'
        : `add one of ${[...ops].map((key) => `"${key}"`).join(', ')}`;
    const optOut = node.type === 'gate' ? ' or set "opsOptional": true' : '';
    errors.push({
      path: ['nodes', i, ...signoff.path],
      nodeId: node.id,
      code: 'no_operations_role',
      message: `${node.type} "${node.id}" has no operations role among its signers: ${hint}${optOut}`,
    });
  });
  return errors;
}
