/**
 * What hypercare tells people, pure: resolving an issue tells whoever raised it and whoever took
 * it on (patch "issue-resolved-notice"); an escalation of an unaccepted exit names, by mention,
 * whose acceptance is missing and what the reader can do (patch "hypercare-exit-notices"). An
 * Update, or a run, from before either patch is decided as it was then.
 */
import { decide, tick } from '../../workflows/lifecycle';
import { durationInWords } from '../../workflows/model/duration';
import { mention, peopleInWords, withPeopleNamed } from '../../workflows/model/people';
import type { Template } from '../../workflows/model';
import { jointTemplate } from '../fixtures/joint-hypercare';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { inHypercare } from './in-hypercare';

describe('resolving a hypercare issue', () => {
  const raisedAndTakenOn = () => {
    const sim = inHypercare(jointTemplate());
    sim.must('fran', { type: 'raiseIssue', severity: 3, title: 'Label typo' });
    sim.must('olga', { type: 'acknowledgeIssue', issueId: 'issue-1' });
    return sim;
  };

  it('tells whoever raised it and whoever took it on, naming the resolver', () => {
    const sim = raisedAndTakenOn();
    const before = sim.notifications.length;
    sim.must('omar', { type: 'resolveIssue', issueId: 'issue-1', note: 'Reprinted' });
    const told = sim.notifications.slice(before);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({
      kind: 'message',
      nodeId: 'hypercare',
      recipients: ['fran', 'olga'],
      people: ['fran', 'omar'],
      subject: expect.stringContaining('issue resolved: Label typo'),
    });
    expect(told[0]!.text).toContain(`was resolved by ${mention('omar')}`);
    expect(told[0]!.text).toContain('Reprinted');
  });

  it('tells nobody who resolved it themselves', () => {
    const sim = raisedAndTakenOn();
    const before = sim.notifications.length;
    sim.must('olga', { type: 'resolveIssue', issueId: 'issue-1' });
    expect(sim.notifications.slice(before).map((n) => n.recipients)).toEqual([['fran']]);
  });

  it('is decided as then for an Update applied before the patch: nobody told', () => {
    const sim = raisedAndTakenOn();
    const resolve = {
      type: 'resolveIssue' as const,
      actor: { userId: 'omar' },
      issueId: 'issue-1',
    };
    const old = decide(sim.machine, resolve, sim.now, { issueResolvedNotice: false });
    expect(old.ok && old.effects.notifications).toEqual([]);
    expect(old.ok && old.machine.state.issues[0]!.status).toBe('resolved');
  });
});

describe('an escalation of an unaccepted hypercare exit', () => {
  /** Exit by two of three ops people; steering hears of it 3 s after expiry. */
  const template: Template = {
    ...miniTemplate,
    nodes: miniTemplate.nodes.map((n) =>
      n.type === 'hypercare'
        ? {
            ...n,
            duration: 'PT2S',
            extendBy: 'P7D',
            maxExtensions: 2,
            exit: { rules: [{ role: 'ops', min: 2 }] },
            escalation: [{ after: 'PT3S', notify: ['steering'] }],
          }
        : n,
    ),
  };
  const participants = { ...miniParticipants, ops: ['olga', 'omar', 'otto'] };
  const expiredWithOneSignature = () => {
    const sim = inHypercare(template, participants);
    sim.advance(2000);
    sim.must('olga', { type: 'signoff', nodeId: 'hypercare', decision: 'go' });
    return sim;
  };

  it('names who must still accept, who can act and how', () => {
    const sim = expiredWithOneSignature();
    sim.advance(3000);
    const [escalation] = sim.notified('escalation');
    expect(escalation).toMatchObject({ recipients: ['sam'], people: ['omar', 'otto'] });
    const text = escalation!.text;
    expect(text).toContain(
      `Waiting for acceptance from:\n- ${mention('omar')} or ${mention('otto')} (Operations lead)`,
    );
    expect(text).toContain(`${mention('omar')} or ${mention('otto')} can accept the exit there`);
    expect(text).toContain('extend hypercare by 7 days with a reason (2 extensions left)');
    expect(text).toContain("open the hypercare step (this message's link)");
    // By name where it is shown.
    const names: Record<string, string> = { omar: 'Omar Operations', otto: 'Otto Ops' };
    expect(withPeopleNamed(escalation!, (id) => names[id]).text).toContain(
      '- Omar Operations or Otto Ops (Operations lead)',
    );
  });

  it('is worded as then in a run begun before the patch', () => {
    const sim = expiredWithOneSignature();
    const fired = tick(sim.machine, sim.now + 3000, { legacyExitNotices: true });
    const [escalation] = fired.effects.notifications.filter((n) => n.kind === 'escalation');
    expect(escalation!.text).not.toContain('Waiting for acceptance');
    expect(escalation!.people).toBeUndefined();
  });
});

describe('mentions', () => {
  it('are replaced for the people listed only, and durations read in words', () => {
    const text = `${mention('a')} and ${mention('b')}`;
    expect(peopleInWords(text, ['a'], () => 'Ann')).toBe(`Ann and ${mention('b')}`);
    expect(peopleInWords(text, ['a', 'b'], () => undefined)).toBe('a and b');
    expect(durationInWords('PT1H30M')).toBe('1 hour 30 minutes');
    expect(durationInWords('P1D')).toBe('1 day');
  });
});
