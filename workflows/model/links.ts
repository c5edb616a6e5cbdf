/**
 * Where a notification takes its reader in the workspace: the exact place to act (the step's
 * panel with its "your turn" form, the benefits tab for KPI reviews and budget alerts, the
 * feedback tab for feedback). One rule for the in-app inbox, e-mail and webhooks; the
 * designer's hash router (designer/src/shell/routes.ts) reads these paths. It lives in the
 * model (it needs only the model's types) because the designer bundles it and activities use it.
 */
import type { Notification } from './state';

/** What a link needs of a notification (an inbox item has the same fields). */
export type Linkable = Pick<Notification, 'projectId' | 'kind'> & { nodeId?: string | undefined };

/** Kinds about the benefits tab's subjects: KPI reviews and alerts, the budget. */
const BENEFITS_KINDS: readonly Notification['kind'][] = ['kpi-review', 'kpi-alert', 'budget-alert'];

/** The workspace's hash path for a notification, e.g. `#/projects/<id>?node=<step>`. */
export function notificationPath(n: Linkable): string {
  const project = `#/projects/${encodeURIComponent(n.projectId)}`;
  if (BENEFITS_KINDS.includes(n.kind)) return `${project}/benefits`;
  if (n.kind === 'feedback') return `${project}/feedback`;
  return n.nodeId === undefined ? project : `${project}?node=${encodeURIComponent(n.nodeId)}`;
}

/** The absolute link: the workspace's public base URL (`GATEHOUSE_PUBLIC_URL`) plus the path. */
export function notificationUrl(publicUrl: string, n: Linkable): string {
  return `${publicUrl.replace(/\/+$/, '')}/${notificationPath(n)}`;
}
