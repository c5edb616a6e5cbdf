/**
 * The designer's simulation: the interpreter's simulator (workflows/lifecycle/simulation.ts,
 * shared with the tests) and what the canvas and the timeline show of a session.
 */
import type { SimSession } from '../../../workflows/lifecycle/simulation';
import type { SimStatus } from './canvas';

export {
  SIM_EPOCH,
  SIM_PMO,
  advanceBy,
  advanceTo,
  advanceToNextDeadline,
  runSteps,
  startSimulation,
  upcoming,
  type SimCommand,
  type SimEvent,
  type SimSession,
  type SimStep,
} from '../../../workflows/lifecycle/simulation';

/** How each node stands: where the project is now, what it finished, what it passed through. */
export function nodeStatuses(session: SimSession): Record<string, SimStatus> {
  const statuses: Record<string, SimStatus> = {};
  for (const node of session.machine.template.nodes) {
    const rec = session.machine.state.nodes[node.id];
    statuses[node.id] =
      !rec || rec.visits === 0
        ? 'pending'
        : rec.status === 'active'
          ? 'current'
          : rec.status === 'on_hold'
            ? 'on_hold'
            : rec.status === 'done'
              ? 'done'
              : 'visited';
  }
  return statuses;
}

/** Edges the project has followed ("from~to"), read from the audit trail's node entries. */
export function takenEdges(session: SimSession): Set<string> {
  const taken = new Set<string>();
  for (const event of session.events) {
    if (event.kind !== 'audit' || event.audit.action !== 'node.entered') continue;
    const from = event.audit.detail?.from;
    if (typeof from === 'string') taken.add(`${from}~${event.audit.nodeId ?? ''}`);
  }
  return taken;
}

/** Renders a virtual instant: "Mon 05 Jan 2026 09:00". UTC keeps it the same for everyone. */
export function formatInstant(at: number): string {
  const d = new Date(at);
  const day = d.toLocaleDateString('en-GB', {
    weekday: 'short',
    day: '2-digit',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const time = d.toISOString().slice(11, 16);
  return `${day.replace(/,/g, '')} ${time}`;
}
