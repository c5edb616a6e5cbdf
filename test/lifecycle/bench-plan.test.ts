/** The bench's happy path, chosen from next actions, takes a project to its completed end. */
import fc from 'fast-check';
import { rehearse } from '../../bench/plan';
import { BUILTIN_TEMPLATES, seatParticipants, type Template } from '../../workflows/model';
import { arbValidTemplate } from '../fixtures/arbitraries';

const input = (template: Template) => ({
  projectId: 'bench',
  name: 'Bench',
  template,
  version: 1,
  participants: seatParticipants(template),
  startedBy: 'pmo',
});

describe('bench plan', () => {
  it.each(BUILTIN_TEMPLATES.map((t) => [t.key, t] as const))('completes %s', (_key, template) => {
    const steps = rehearse(input(template), 0);
    expect(steps.map((s) => s.command.type)).toEqual(
      expect.arrayContaining(['deliverable', 'complete', 'signoff', 'raiseIssue', 'retire']),
    );
  });

  it('property: completes any valid template', () => {
    fc.assert(
      fc.property(arbValidTemplate(), (template) => {
        // rehearse throws on a refusal and unless the project ends completed.
        expect(() => rehearse(input(template), 0)).not.toThrow();
      }),
      { numRuns: 60 },
    );
  });
});
