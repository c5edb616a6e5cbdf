/**
 * Participants per role for a new project: people picked by name from the directory, with how
 * many each role needs.
 */
import { useSession } from '../../shell/session';
import type { RoleNeed } from '../logic/participants';
import { PeoplePicker } from '../ui/PeoplePicker';
import { FieldErrors } from '../ui/states';

export function ParticipantsFields({
  needs,
  value,
  onChange,
  errors,
}: {
  needs: RoleNeed[];
  value: Record<string, string[]>;
  onChange: (value: Record<string, string[]>) => void;
  errors: Record<string, string[]>;
}) {
  const { demoUsers } = useSession();
  return (
    <fieldset className="participants" data-testid="start-participants">
      <legend>Participants</legend>
      <p className="muted small">
        Search people by name or e-mail for each role. Each role needs at least as many people as
        its strictest sign-off rule.
      </p>
      {needs.map((role) => {
        const id = `start-role-${role.key}`;
        const messages = errors[role.key];
        const chosen = value[role.key] ?? [];
        // Demo users who play this role come first among the matches.
        const preferred = demoUsers.filter((u) => u.roles.includes(role.key)).map((u) => u.id);
        const short = role.min > 0 && chosen.length < role.min;
        return (
          <div className="field participant-role" key={role.key} data-role={role.key}>
            <label htmlFor={id}>
              {role.name} <code className="small">{role.key}</code>
              {role.operations && <span className="tag tag-ops">operations</span>}
            </label>
            <PeoplePicker
              id={id}
              values={chosen}
              onChange={(ids) => onChange({ ...value, [role.key]: ids })}
              preferred={preferred}
              preferredLabel={`plays ${role.name}`}
              invalid={messages !== undefined}
              describedBy={`${id}-hint${messages ? ` ${id}-error` : ''}`}
              testId={id}
            />
            <small id={`${id}-hint`} className={short ? 'hint hint-warn' : 'hint'}>
              {role.min > 0
                ? `needs ${role.min} · signs ${role.signs.join(', ')}`
                : 'optional · no sign-off rule names this role'}
            </small>
            <div data-testid={`${id}-error`}>
              <FieldErrors messages={messages} id={`${id}-error`} />
            </div>
          </div>
        );
      })}
    </fieldset>
  );
}
