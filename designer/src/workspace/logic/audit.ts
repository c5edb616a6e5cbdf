/** Audit entries in words ("Ann signed “Inception” off: go"), for the timeline and the audit trail. */
import type { TimelineEntry } from '../../../../workflows/model';
import { scoreText } from './signoff';

export interface Names {
  node: (id: string) => string;
  role: (key: string) => string;
  user: (id: string) => string;
  deliverable: (nodeId: string, deliverableId: string) => string;
}

const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/** One line describing what happened; the actor is named by the caller. */
export function describeEntry(entry: TimelineEntry, names: Names): string {
  const d = entry.detail ?? {};
  const node = entry.nodeId ? `“${names.node(entry.nodeId)}”` : '';
  switch (entry.action) {
    case 'project.started': {
      const participants = d['participants'];
      if (participants === null || typeof participants !== 'object') return 'started the project';
      const roles = Object.entries(participants as Record<string, unknown>)
        .filter((entry): entry is [string, string[]] => Array.isArray(entry[1]))
        .map(([role, ids]) => `${names.role(role)}: ${ids.map(names.user).join(', ')}`);
      return roles.length > 0
        ? `started the project with ${roles.join('; ')}`
        : 'started the project';
    }
    case 'node.entered':
      return `${node} opened${Number(d['visit']) > 1 ? ` (visit ${str(d['visit'])})` : ''}`;
    case 'node.completed':
      return `${node} closed: ${str(d['outcome'])}`;
    case 'signoff':
      return `signed ${node} off: ${str(d['decision'])} as ${names.role(str(d['role']))}${
        typeof d['onBehalfOf'] === 'string' ? ` for ${names.user(d['onBehalfOf'])}` : ''
      }${typeof d['score'] === 'number' ? ` (score ${scoreText(d['score'])})` : ''}`;
    case 'participant.reassigned':
      return `gave the part of ${names.user(str(d['from']))} as ${names.role(str(d['role']))} to ${names.user(str(d['to']))}`;
    case 'gate.decided':
      return `${node} decided: ${str(d['outcome'])}`;
    case 'deliverable.submitted':
      return `submitted “${names.deliverable(entry.nodeId ?? '', str(d['deliverableId']))}” for ${node}`;
    case 'condition.set':
      return `condition set for ${names.role(str(d['owner']))}: ${str(d['text'])}`;
    case 'condition.met':
      return 'marked a condition met';
    case 'condition.missed':
      return 'a condition missed its due date';
    case 'deadline.dropped':
      return `dropped a ${str(d['kind'])} deadline of a step the template no longer has`;
    case 'issue.raised':
      return `raised S${str(d['severity'])} issue: ${str(d['title'])}`;
    case 'issue.resolved':
      return 'resolved an issue';
    case 'hypercare.extended':
      return `extended hypercare (extension ${str(d['extensions'])})`;
    case 'hypercare.exited':
      return `accepted the exit: ${node} ended`;
    case 'review.accepted':
      return `${node} accepted`;
    case 'review.decision':
      return `recorded a decision on ${node}: ${entry.reason ?? ''}`;
    case 'review.action-set':
      return `set a follow-up action for ${
        typeof d['assignee'] === 'string' ? names.user(d['assignee']) : names.role(str(d['owner']))
      }: ${str(d['text'])}`;
    case 'review.action-done':
      return `completed a follow-up action${d['late'] === true ? ' (late)' : ''}`;
    case 'hypercare.expired':
      return 'hypercare expired';
    case 'hypercare.escalated':
      return `escalated hypercare (level ${str(d['level'])})`;
    case 'kpi.recorded':
      return `recorded ${str(d['metric'])} = ${str(d['value'])}`;
    case 'monitor.review':
      return 'KPI review sent';
    case 'monitor.reviewed':
      return `did KPI review #${str(d['review'])}: ${str(d['decision'])}${
        typeof d['onBehalfOf'] === 'string' ? ` for ${names.user(d['onBehalfOf'])}` : ''
      }`;
    case 'monitor.alert':
      return 'KPI alert: a metric stayed off target';
    case 'sla.reminder':
      return `reminder for ${node}`;
    case 'sla.overdue':
      return `${node} is overdue`;
    case 'sla.escalated':
      return `escalated overdue ${node}`;
    case 'feedback.recorded':
      return 'posted feedback';
    case 'lesson.recorded':
      return 'recorded a lesson learned';
    case 'project.on_hold':
      return `put the project on hold at ${node}`;
    case 'project.resumed':
      return 'resumed the project';
    case 'project.retired':
      return 'retired the project (monitoring ended)';
    case 'project.cancelled':
      return 'cancelled the project';
    case 'project.migrated':
      return `moved the project to version ${str(d['version'])}`;
    case 'project.ended':
      return `project ${str(d['status'])}`;
    default:
      return `${entry.action}${node ? ` on ${node}` : ''}`;
  }
}

/** "system" is the lifecycle's own timers; everyone else by name. */
export function actorName(actor: string, names: Names): string {
  return actor === 'system' ? 'Gatehouse' : names.user(actor);
}
