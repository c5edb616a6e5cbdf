/**
 * `checkParticipants`: the quorum check behind a 422 at project start (SPEC §3).
 */
import { checkParticipants, opsIntegratedDelivery } from '../../workflows/model';
import { brief, nodeOf, validBase } from '../fixtures/base-template';

describe('checkParticipants', () => {
  const everyone = { pm: ['pat'], ops: ['olga'], steering: ['sam'] };

  it('accepts enough distinct participants per role', () => {
    expect(checkParticipants(validBase(), everyone)).toEqual([]);
  });

  it('reports a role short of its quorum once, naming the nodes and numbers', () => {
    const template = validBase();
    nodeOf(template, 'pir', 'review').signoff.rules[1]!.min = 2;
    const errors = checkParticipants(template, { ...everyone, ops: ['olga', 'olga'] });
    expect(errors).toEqual([
      {
        path: ['participants', 'ops'],
        nodeId: 'pir',
        code: 'missing_participants',
        message: 'role "ops" has 1 distinct participant(s): review "pir" needs 2',
      },
    ]);
  });

  it('reports a role with no participants at all', () => {
    const errors = checkParticipants(validBase(), { pm: ['pat'], ops: ['olga'] });
    expect(brief(errors)).toEqual([
      { code: 'missing_participants', path: ['participants', 'steering'], nodeId: 'pir' },
    ]);
  });

  it('reports participants under roles the template does not define', () => {
    const errors = checkParticipants(validBase(), { ...everyone, constructor: ['x'] });
    expect(brief(errors)).toEqual([
      { code: 'unknown_role', path: ['participants', 'constructor'] },
    ]);
  });

  it('does not mistake inherited properties for participants', () => {
    const template = validBase();
    template.roles.push({ key: 'constructor', name: 'Odd but a valid slug', operations: true });
    nodeOf(template, 'approve', 'gate').signoff.rules.push({ role: 'constructor', min: 1 });
    expect(brief(checkParticipants(template, everyone))).toEqual([
      { code: 'missing_participants', path: ['participants', 'constructor'], nodeId: 'approve' },
    ]);
  });

  it('accepts the built-in template with one user per role', () => {
    const one = Object.fromEntries(opsIntegratedDelivery.roles.map((r) => [r.key, [r.key]]));
    expect(checkParticipants(opsIntegratedDelivery, one)).toEqual([]);
  });
});
