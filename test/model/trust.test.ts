/**
 * The model's trust rules (issue 8), pure: one text normalisation, the staffing check (a
 * bipartite matching of users to sign-off slots), severity as incidents count it and the
 * conversion of what older code recorded, idempotency scopes and fingerprints.
 */
import fc from 'fast-check';
import {
  legacyCommand,
  legacyState,
  legacyTemplate,
  splitEffects,
  startProject,
  type Effects,
} from '../../workflows/lifecycle';
import {
  blocksExit,
  canonicalJson,
  checkParticipants,
  fromMinorFirst,
  migrateState,
  INPUT_REVISION,
  keyScope,
  requestFingerprint,
  Text,
  utf8Bytes,
  type ActionInput,
  type Template,
} from '../../workflows/model';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { hypercareTemplate } from '../fixtures/trust-templates';

describe('Text', () => {
  const title = Text(10, { trim: true, min: 1 });
  it('normalises to NFC and trims', () => {
    expect(title.parse('  Cafe\u0301 ')).toBe('Café');
  });
  it.each([
    ['NUL', 'a\u0000b', 'NUL (U+0000)'],
    ['a control character', 'a\u001bb', 'a control character (U+001B)'],
    ['an unpaired high surrogate', 'a\ud83db', 'an unpaired surrogate (U+D83D)'],
    ['an unpaired low surrogate', '\ude80b', 'an unpaired surrogate (U+DE80)'],
  ])('refuses %s, naming it and where it is', (_what, value, named) => {
    const result = title.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error!.issues).toEqual([
      expect.objectContaining({ code: 'custom', params: { code: 'invalid_text' } }),
    ]);
    expect(result.error!.issues[0]!.message).toContain(named);
  });
  it('keeps tabs, line breaks and every paired character', () => {
    expect(Text(20).parse('a\tb\r\nc 🧪 漢')).toBe('a\tb\r\nc 🧪 漢');
  });
  it('counts characters, not UTF-16 units, and names the cap', () => {
    expect(Text(3).safeParse('🧪🧪🧪').success).toBe(true);
    expect(Text(3).safeParse('🧪🧪🧪🧪').error?.issues[0]?.message).toBe('at most 3 characters');
  });
  it('measures UTF-8 as Temporal payloads weigh it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(utf8Bytes(s)).toBe(Buffer.byteLength(s, 'utf8'));
      }),
    );
  });
});

describe('checkParticipants: can these people ever move the project?', () => {
  const gate = (rules: { role: string; min: number }[]): Template => ({
    ...hypercareTemplate(),
    roles: [
      { key: 'a', name: 'A', operations: true },
      { key: 'b', name: 'B' },
      { key: 'pm', name: 'PM' },
      { key: 'ops', name: 'Ops', operations: true },
    ],
    nodes: hypercareTemplate().nodes.map((n) =>
      n.type === 'review' ? { ...n, signoff: { rules } } : n,
    ),
  });
  const codes = (t: Template, p: Record<string, string[]>) =>
    checkParticipants(t, { pm: ['pm-1'], ops: ['ops-1'], ...p }).map((e) => e.code);

  it('needs distinct users: one user holding two roles of a node fills one slot', () => {
    const t = gate([
      { role: 'a', min: 1 },
      { role: 'b', min: 1 },
    ]);
    expect(codes(t, { a: ['x'], b: ['x'] })).toEqual(['shared_signers']);
    expect(codes(t, { a: ['x'], b: ['y'] })).toEqual([]);
  });
  it('finds an assignment a greedy count would miss (augmenting paths)', () => {
    const t = gate([
      { role: 'a', min: 1 },
      { role: 'b', min: 1 },
    ]);
    // x could sign as a or b, y only as a: x must take b.
    expect(codes(t, { a: ['x', 'y'], b: ['x'] })).toEqual([]);
    const three = gate([
      { role: 'a', min: 2 },
      { role: 'b', min: 1 },
    ]);
    expect(codes(three, { a: ['x', 'y'], b: ['x'] })).toEqual(['shared_signers']);
    expect(codes(three, { a: ['x', 'y', 'z'], b: ['x'] })).toEqual([]);
  });
  it('names a role short of users once, with every node it cannot staff', () => {
    const errors = checkParticipants(miniTemplate, { ...miniParticipants, ops: ['olga'] });
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'missing_participants',
        path: ['participants', 'ops'],
        message: expect.stringContaining('gate "approval" needs 2'),
      }),
    ]);
  });
  it('needs a stage owner, a monitor reviewer and the owners of open conditions', () => {
    const template: Template = {
      ...miniTemplate,
      nodes: miniTemplate.nodes.map((n) =>
        n.type === 'monitor' ? { ...n, reviewers: ['steering'] } : n,
      ),
    };
    const errors = checkParticipants(
      template,
      { pm: [], ops: ['olga', 'omar'], steering: [] },
      { conditionOwners: ['ops', 'steering', 'legal'] },
    );
    expect(errors.map((e) => `${e.path.join('.')} ${e.code}`)).toEqual([
      'participants.pm missing_participants',
      'participants.steering missing_participants',
      'participants.pm no_stage_owner',
      'participants.steering no_reviewer',
      'participants.steering no_condition_owner',
      'participants.legal no_condition_owner',
    ]);
  });
  it('answers as data for any participants, never throwing', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.oneof(
            fc.constantFrom('pm', 'ops', 'steering', 'constructor', '__proto__'),
            fc.string(),
          ),
          fc.array(fc.oneof(fc.constantFrom('u1', 'u2', 'u3'), fc.string()), { maxLength: 4 }),
        ),
        (participants) => {
          expect(Array.isArray(checkParticipants(miniTemplate, participants))).toBe(true);
        },
      ),
    );
  });
});

describe('severity: 1 is critical', () => {
  it('blocks on the threshold and everything more severe (default 2)', () => {
    expect([1, 2, 3].map((s) => blocksExit(s))).toEqual([true, true, false]);
    expect([1, 2, 3].map((s) => blocksExit(s, 1))).toEqual([true, false, false]);
    expect([1, 2, 3].map((s) => blocksExit(s, 3))).toEqual([true, true, true]);
  });
  it('makes the decision the old scale made, once converted', () => {
    // The old rule: severity (1 minor … 3 critical) at or above blockingSeverity (default 2).
    const old = (severity: number, threshold?: number) => severity >= (threshold ?? 2);
    for (const severity of [1, 2, 3]) {
      for (const threshold of [undefined, 1, 2, 3]) {
        const converted = threshold === undefined ? undefined : fromMinorFirst(threshold);
        expect([severity, threshold, blocksExit(fromMinorFirst(severity), converted)]).toEqual([
          severity,
          threshold,
          old(severity, threshold),
        ]);
      }
    }
  });
});

describe('what older code recorded', () => {
  it('converts severities of Update inputs and templates', () => {
    const raise = legacyCommand(
      { actor: { userId: 'olga' }, severity: 3, title: 'Outage' },
      'raiseIssue',
    );
    expect(raise).toMatchObject({ type: 'raiseIssue', severity: 1 });
    const template = legacyTemplate(hypercareTemplate({ blockingSeverity: 3 }));
    expect(template.nodes[0]).toMatchObject({ blockingSeverity: 1 });
    // Without an explicit threshold the default (2) means the same on both scales.
    const plain = hypercareTemplate();
    expect(legacyTemplate(plain)).toBe(plain);
  });
  it('brings carried-over state to today: severities, dropped conditions (after its shape migrated)', () => {
    const { machine } = startProject(
      {
        projectId: 'p',
        name: 'P',
        template: miniTemplate,
        version: 1,
        participants: miniParticipants,
        startedBy: 'pmo',
      },
      0,
    );
    const { version: _version, ...current } = machine.state;
    const old = {
      ...current,
      issues: [
        {
          id: 'issue-1',
          nodeId: 'hypercare',
          severity: 3,
          title: 'x',
          status: 'open' as const,
          raisedBy: 'olga',
          raisedAt: 0,
        },
      ],
      feedback: [{ id: 'feedback-1', kind: 'feedback' as const, text: 'old', by: 'pat', at: 0 }],
      idempotency: {
        'k:a': {
          type: 'feedback',
          result: { status: 'active' as const, current: ['plan'], node: machine.state.nodes.plan },
        },
      },
      keys: undefined,
      feedbackCount: undefined,
    };
    old.nodes.pir!.votes = [
      {
        userId: 'sam',
        role: 'steering',
        decision: 'go',
        at: 0,
        conditions: [{ text: 'c', due: 'P1D', owner: 'ops' }],
      },
    ];
    const state = legacyState(migrateState(old), miniTemplate);
    expect(state.issues[0]!.severity).toBe(1);
    expect(state.idempotency['k:a']).toEqual({
      type: 'feedback',
      result: { status: 'active', current: ['plan'] },
    });
    expect(state.nodes.pir!.votes[0]!.conditions).toBeUndefined();
    expect(state.feedbackCount).toBe(1);
    expect(state.keys).toEqual({});
  });
});

describe('idempotency keys', () => {
  const input = (userId: string, extra: object = {}) =>
    ({
      actor: { userId },
      rev: INPUT_REVISION,
      nodeId: 'gate',
      decision: 'go',
      idempotencyKey: 'k',
      ...extra,
    }) as ActionInput<'signoff'>;
  it('scopes a key to caller, action and target', () => {
    const scope = keyScope('signoff', input('a'));
    expect(keyScope('signoff', input('a'))).toBe(scope);
    expect(keyScope('signoff', input('b'))).not.toBe(scope);
    expect(keyScope('signoff', input('a', { nodeId: 'other' }))).not.toBe(scope);
    expect(keyScope('completeStage', input('a') as ActionInput)).not.toBe(scope);
    expect(keyScope('signoff', input('a', { idempotencyKey: undefined }))).toBeUndefined();
  });
  it('fingerprints the request, not the caller, the key or the order of fields', () => {
    const fp = requestFingerprint('signoff', input('a'));
    expect(requestFingerprint('signoff', input('b', { idempotencyKey: 'z' }))).toBe(fp);
    expect(requestFingerprint('signoff', input('a', { comment: 'x' }))).not.toBe(fp);
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe(
      canonicalJson({ a: [{ c: 2, d: 1 }], b: 1 }),
    );
  });
});

describe('record writes in parts', () => {
  it('keeps every part within the budget (one larger item alone), in write order', () => {
    const audit = (seq: number, size: number) => ({
      projectId: 'p',
      seq,
      at: 0,
      actor: 'a',
      action: 'x',
      reason: 'r'.repeat(size),
    });
    const effects: Effects = {
      audits: [audit(1, 10), audit(2, 500), audit(3, 2000), audit(4, 10)],
      notifications: [],
      texts: [{ projectId: 'p', sha256: 'h', text: 't'.repeat(300) }],
      keys: [],
    };
    const parts = splitEffects(effects, 1000);
    expect(parts.flatMap((p) => p.audits.map((a) => a.seq))).toEqual([1, 2, 3, 4]);
    expect(parts.map((p) => p.audits.map((a) => a.seq))).toEqual([[1, 2], [3], [4]]);
    expect(parts.at(-1)!.texts).toHaveLength(1);
    for (const part of parts.slice(0, 1))
      expect(utf8Bytes(JSON.stringify(part))).toBeLessThan(1200);
  });
});
