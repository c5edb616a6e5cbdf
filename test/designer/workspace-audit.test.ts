import { actorName, describeEntry } from '../../designer/src/workspace/logic/audit';
import { safeHref } from '../../designer/src/workspace/logic/links';

describe('audit entries in words', () => {
  const names = {
    node: (id: string) => id.toUpperCase(),
    role: (k: string) => `role:${k}`,
    user: (u: string) => `user:${u}`,
    deliverable: (nodeId: string, id: string) => `${nodeId}/${id}`,
  };
  it('describes sign-offs, decisions and unknown actions', () => {
    const base = { seq: 1, at: 0, actor: 'u1' };
    expect(
      describeEntry(
        {
          ...base,
          action: 'signoff',
          nodeId: 'inception',
          detail: { decision: 'go', role: 'pm', score: 0.75 },
        },
        names,
      ),
    ).toBe('signed “INCEPTION” off: go as role:pm (score 0.75)');
    // A delegate's vote: the actor is the delegate, the vote the participant's.
    expect(
      describeEntry(
        {
          ...base,
          action: 'signoff',
          nodeId: 'inception',
          detail: { decision: 'go', role: 'pm', onBehalfOf: 'pat' },
        },
        names,
      ),
    ).toBe('signed “INCEPTION” off: go as role:pm for user:pat');
    expect(
      describeEntry(
        {
          ...base,
          action: 'participant.reassigned',
          detail: { role: 'pm', from: 'pat', to: 'zoe' },
        },
        names,
      ),
    ).toBe('gave the part of user:pat as role:pm to user:zoe');
    expect(
      describeEntry(
        { ...base, action: 'node.completed', nodeId: 'pilot', detail: { outcome: 'done' } },
        names,
      ),
    ).toBe('“PILOT” closed: done');
    const review = (action: string, detail: Record<string, unknown>, reason?: string) =>
      describeEntry(
        { ...base, action, nodeId: 'pir', detail, ...(reason !== undefined && { reason }) },
        names,
      );
    expect(review('review.decision', { decisionId: 'pir-1-d1' }, 'Go to region B')).toBe(
      'recorded a decision on “PIR”: Go to region B',
    );
    expect(review('review.action-set', { owner: 'support', text: 'Train' })).toBe(
      'set a follow-up action for role:support: Train',
    );
    expect(review('review.action-set', { owner: 'support', assignee: 'sid', text: 'FAQ' })).toBe(
      'set a follow-up action for user:sid: FAQ',
    );
    expect(review('review.action-done', { conditionId: 'pir-1-a1', late: true })).toBe(
      'completed a follow-up action (late)',
    );
    expect(describeEntry({ ...base, action: 'brand.new', nodeId: 'x' }, names)).toBe(
      'brand.new on “X”',
    );
    expect(
      describeEntry(
        {
          ...base,
          action: 'deliverable.submitted',
          nodeId: 'pilot',
          detail: { deliverableId: 'd1' },
        },
        names,
      ),
    ).toBe('submitted “pilot/d1” for “PILOT”');
    expect(actorName('system', names)).toBe('Gatehouse');
    expect(actorName('u1', names)).toBe('user:u1');
  });
});

describe('safeHref', () => {
  it('keeps http(s) links only', () => {
    expect(safeHref('https://wiki.example/doc')).toBe('https://wiki.example/doc');
    expect(safeHref('javascript:alert(1)')).toBeUndefined();
    expect(safeHref('not a url')).toBeUndefined();
  });
});
