/**
 * Reading what projects recorded before INPUT_REVISION (model/commands.ts): workflow inputs,
 * Update inputs and carried-over state without `rev`. They are converted once, on the way in,
 * so that the interpreter knows only today's meaning and a replay of an old history makes
 * exactly the decisions it made then:
 * - severities were 1 = minor … 3 = critical, blocking "at or above" `blockingSeverity`: each
 *   becomes 4 - n, which blocks exactly the same issues (model/severity.ts);
 * - a review or hypercare exit `go` dropped its conditions (the interpreter drops them for
 *   legacy commands, see signoff.ts), and old state may still hold them on votes;
 * - idempotency keys were matched by key alone (machine.ts matches legacy commands that way);
 * - the timeline kept 200 full entries.
 * Changes of the state's shape are not meaning: model/state-versions.ts migrates them first.
 */
import { ACTIONS } from '../model/actions';
import { fromMinorFirst } from '../model/severity';
import type {
  ActionInput,
  ActionName,
  Command,
  CommandType,
  ProjectState,
  Template,
} from '../model';
import { TIMELINE_LIMIT, timelineEntryOf } from './context';

/** A template pinned before severities were reversed, on today's scale. */
export function legacyTemplate(template: Template): Template {
  if (!template.nodes.some((n) => n.type === 'hypercare' && n.blockingSeverity !== undefined)) {
    return template;
  }
  return {
    ...template,
    nodes: template.nodes.map((node) =>
      node.type === 'hypercare' && node.blockingSeverity !== undefined
        ? { ...node, blockingSeverity: fromMinorFirst(node.blockingSeverity) }
        : node,
    ),
  };
}

/**
 * An Update input recorded before INPUT_REVISION, as a command of today. It was validated by
 * the code of its time (today's caps may refuse it, and replay must not), so it is taken as
 * recorded, only its meaning converted.
 */
export function legacyCommand(input: ActionInput, type: CommandType): Command {
  const command = { ...input, type } as Command;
  switch (command.type) {
    case 'raiseIssue':
      return { ...command, severity: fromMinorFirst(command.severity) };
    case 'migrate':
      return { ...command, template: legacyTemplate(command.template) };
    default:
      return command;
  }
}

/** A command parsed from today's input that an older API sent (no `rev`): same conversions. */
export function fromLegacy(command: Command): Command {
  return legacyCommand(command, command.type);
}

/** State carried over by a continue-as-new of code before INPUT_REVISION, in today's meaning. */
export function legacyState(state: ProjectState, template: Template): ProjectState {
  const signsWithConditions = new Set(
    template.nodes.filter((n) => n.type === 'gate').map((n) => n.id),
  );
  return {
    ...state,
    issues: state.issues.map((i) => ({ ...i, severity: fromMinorFirst(i.severity) })),
    nodes: Object.fromEntries(
      Object.entries(state.nodes).map(([id, rec]) => [
        id,
        signsWithConditions.has(id)
          ? rec
          : { ...rec, votes: rec.votes.map(({ conditions: _dropped, ...vote }) => vote) },
      ]),
    ),
    timeline: state.timeline.slice(-TIMELINE_LIMIT).map(timelineEntryOf),
  };
}

/**
 * The command an Update input asks for. Inputs of this revision are parsed (their texts
 * normalised as the validator saw them); inputs recorded before it are taken as recorded,
 * their meaning converted. The workflow's handler and the impact analysis read inputs so.
 */
export function commandOf(
  name: ActionName,
  args: ActionInput,
): { command: Command; legacy: boolean } {
  const spec = ACTIONS[name];
  if (args.rev === undefined) return { command: legacyCommand(args, spec.command), legacy: true };
  return { command: spec.commandSchema.parse({ ...args, type: spec.command }), legacy: false };
}
