/**
 * Readiness you can see (issue 13 item 5): a gate's checklist — affected groups' ADKAR stages,
 * training coverage per role, the support model — recorded by the participants, refused with
 * reasons, and a `go` that waits for all of it.
 */
import { nextActions, pendingActions } from '../../workflows/lifecycle';
import { Simulator } from '../../workflows/lifecycle/simulation';
import {
  checkParticipants,
  fullReadiness,
  opsIntegratedDelivery,
  readinessOf,
  validateTemplate,
  type NodeOf,
  type Template,
} from '../../workflows/model';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { unitProject } from '../fixtures/unit-project';
import { approvalGo, atApproval } from './in-hypercare';

const readiness: NodeOf<'gate'>['readiness'] = {
  groups: [
    { key: 'frontline', name: 'Frontline users' },
    { key: 'support', name: 'Support team', stage: 'reinforcement' },
  ],
  training: {
    min: 0.9,
    roles: [
      { key: 'agents', name: 'Agents' },
      { key: 'supervisors', name: 'Supervisors', min: 1 },
    ],
  },
  supportModel: true,
};

/** The mini lifecycle whose approval gate (owned by the pm) has a readiness checklist. */
const readyTemplate: Template = {
  ...miniTemplate,
  nodes: miniTemplate.nodes.map((n) =>
    n.id === 'approval' ? { ...n, owner: 'pm', readiness } : n,
  ),
};
const gate = readyTemplate.nodes.find((n) => n.id === 'approval') as NodeOf<'gate'>;

const go = (sim: Simulator, user: string) => sim.act(user, approvalGo);

describe('readiness checklist', () => {
  it('is valid on the built-in handoff gate, and validation names duplicates and missing ops', () => {
    expect(validateTemplate(opsIntegratedDelivery).errors).toEqual([]);
    expect(validateTemplate(readyTemplate).errors).toEqual([]);
    const twice: Template = {
      ...readyTemplate,
      roles: readyTemplate.roles.map(({ operations: _ops, ...r }) => r),
      nodes: readyTemplate.nodes.map((n) =>
        n.id === 'approval'
          ? {
              ...n,
              readiness: { ...readiness, groups: [readiness.groups![0]!, readiness.groups![0]!] },
            }
          : n,
      ),
    };
    const errors = validateTemplate(twice).errors.map((e) => [e.code, e.path.join('.')]);
    expect(errors).toEqual(
      expect.arrayContaining([
        ['duplicate_id', 'nodes.1.readiness.groups.1.key'],
        ['no_operations_role', 'nodes.1.readiness.supportModel'],
      ]),
    );
  });

  it('needs someone in an operations role to confirm the support model (staffing at start)', () => {
    expect(checkParticipants(readyTemplate, { pm: ['pat'], steering: ['sam'] })).toContainEqual(
      expect.objectContaining({
        code: 'missing_participants',
        nodeId: 'approval',
        message: expect.stringContaining('confirm the support model: someone must hold "ops"'),
      }),
    );
  });

  it('refuses a go, naming each gap, until every group, role and the support model is ready', () => {
    const sim = atApproval(readyTemplate, miniParticipants);
    const first = go(sim, 'pat');
    expect(first).toMatchObject({
      ok: false,
      rejection: { code: 'not_ready', path: ['decision'] },
    });
    if (first.ok) throw new Error('accepted');
    expect(first.rejection.errors?.map((e) => e.message)).toEqual([
      'Frontline users reached no ADKAR stage yet, ability needed',
      'Support team reached no ADKAR stage yet, reinforcement needed',
      'Agents: no count trained, 90% needed',
      'Supervisors: no count trained, 100% needed',
      'operations have not confirmed the support model is in place',
    ]);

    // Ability is not enough where reinforcement is required; 26 of 30 agents is 86 % < 90 %.
    sim.must('pat', {
      type: 'recordReadiness',
      nodeId: 'approval',
      adkar: { frontline: 'ability', support: 'ability' },
      training: { agents: { trained: 26, total: 30 }, supervisors: { trained: 4, total: 4 } },
    });
    sim.must('olga', {
      type: 'recordReadiness',
      nodeId: 'approval',
      supportModel: { inPlace: true },
    });
    const view = readinessOf(gate, sim.state.nodes.approval)!;
    expect(view.groups.map((g) => [g.key, g.stage, g.met])).toEqual([
      ['frontline', 'ability', true],
      ['support', 'ability', false],
    ]);
    expect(view.training.map((t) => [t.key, t.coverage, t.met])).toEqual([
      ['agents', 26 / 30, false],
      ['supervisors', 1, true],
    ]);
    expect(view.supportModel).toMatchObject({ inPlace: true, by: 'olga', role: 'ops' });
    const second = go(sim, 'pat');
    if (second.ok) throw new Error('accepted');
    expect(second.rejection.message).toContain('Agents: 26 / 30 (86%) trained, 90% needed');
    expect(second.rejection.errors).toEqual([
      expect.objectContaining({
        path: ['decision'],
        message: expect.stringMatching(/^Support team/),
      }),
      expect.objectContaining({ path: ['decision'], message: expect.stringMatching(/^Agents/) }),
    ]);

    sim.must('omar', {
      type: 'recordReadiness',
      nodeId: 'approval',
      adkar: { support: 'reinforcement' },
      training: { agents: { trained: 27, total: 30 } },
      comment: 'after the second session',
    });
    expect(readinessOf(gate, sim.state.nodes.approval)!.ready).toBe(true);
    for (const user of ['pat', 'olga', 'omar']) expect(go(sim, user).ok).toBe(true);
    expect(sim.state.current).toEqual(['hypercare']);
    const audits = sim.state.timeline.filter((e) => e.action === 'readiness.recorded');
    expect(audits.map((e) => e.actor)).toEqual(['pat', 'olga', 'omar']);
    expect(audits[2]).toMatchObject({
      nodeId: 'approval',
      detail: {
        adkar: { support: 'reinforcement' },
        training: { agents: '27 / 30 (90%)' },
        ready: true,
      },
    });
  });

  it('a support model said not in place blocks the go and names who said so', () => {
    const sim = atApproval(readyTemplate, miniParticipants);
    sim.must('pat', {
      type: 'recordReadiness',
      nodeId: 'approval',
      ...fullReadiness(gate),
      supportModel: undefined,
    });
    sim.must('olga', {
      type: 'recordReadiness',
      nodeId: 'approval',
      supportModel: { inPlace: false },
    });
    const refused = go(sim, 'olga');
    if (refused.ok) throw new Error('accepted');
    expect(refused.rejection.message).toContain(
      'olga (ops) said the support model is not in place',
    );
  });

  it('refuses bad records with the field at fault and changes nothing', () => {
    const sim = atApproval(readyTemplate, miniParticipants);
    const before = JSON.stringify(sim.state.nodes.approval);
    const cases: [string, object, string, (string | number)[]][] = [
      ['pat', { adkar: { nobody: 'ability' } }, 'invalid_input', ['adkar', 'nobody']],
      [
        'pat',
        { training: { ghosts: { trained: 1, total: 2 } } },
        'invalid_input',
        ['training', 'ghosts'],
      ],
      [
        'pat',
        { training: { agents: { trained: 31, total: 30 } } },
        'invalid_input',
        ['training', 'agents', 'trained'],
      ],
      ['pat', {}, 'invalid_input', ['adkar']],
      // The support model is operations' to confirm; the rest of the same record is not kept.
      [
        'pat',
        { adkar: { frontline: 'ability' }, supportModel: { inPlace: true } },
        'not_allowed',
        ['supportModel'],
      ],
      ['sam', { nodeId: 'plan', adkar: { frontline: 'ability' } }, 'invalid_input', ['nodeId']],
      ['ursula', { adkar: { frontline: 'ability' } }, 'not_participant', []],
    ];
    for (const [user, body, code, path] of cases) {
      const decision = sim.act(user, { type: 'recordReadiness', nodeId: 'approval', ...body });
      expect(decision).toMatchObject({ ok: false, rejection: { code } });
      if (!decision.ok && path.length) expect(decision.rejection.path).toEqual(path);
    }
    expect(JSON.stringify(sim.state.nodes.approval)).toBe(before);
  });

  it('is open only while the gate is current: 409 before and after', () => {
    const early = new Simulator(readyTemplate, { participants: miniParticipants, ...unitProject });
    expect(
      early.act('pat', {
        type: 'recordReadiness',
        nodeId: 'approval',
        adkar: { frontline: 'ability' },
      }),
    ).toMatchObject({ ok: false, rejection: { code: 'not_active' } });
    const sim = atApproval(readyTemplate, miniParticipants);
    sim.must('pat', {
      type: 'recordReadiness',
      nodeId: 'approval',
      ...fullReadiness(gate),
      supportModel: undefined,
    });
    sim.must('olga', {
      type: 'recordReadiness',
      nodeId: 'approval',
      supportModel: { inPlace: true },
    });
    for (const user of ['pat', 'olga', 'omar']) expect(go(sim, user).ok).toBe(true);
    const late = sim.act('pat', {
      type: 'recordReadiness',
      nodeId: 'approval',
      adkar: { frontline: 'desire' },
    });
    expect(late).toMatchObject({ ok: false, rejection: { code: 'not_active' } });
    if (!late.ok) expect(late.rejection.message).toContain('has passed');
  });

  it('offers each gap to whoever it waits for: the owner, the support model to operations', () => {
    const sim = atApproval(readyTemplate, miniParticipants);
    const items = (user: string) =>
      pendingActions(sim.state, readyTemplate, user)
        .filter((a) => a.action === 'record-readiness')
        .map((a) => a.itemId);
    expect(items('pat')).toEqual([
      'adkar:frontline',
      'adkar:support',
      'training:agents',
      'training:supervisors',
    ]);
    expect(items('olga')).toEqual(['supportModel']);
    expect(items('sam')).toEqual([]);
    // Sam takes part: he may record, but nothing waits for him.
    expect(
      nextActions(sim.state, readyTemplate, 'sam').filter((a) => a.action === 'record-readiness'),
    ).toHaveLength(4);

    sim.must('pat', {
      type: 'recordReadiness',
      nodeId: 'approval',
      ...fullReadiness(gate),
      supportModel: undefined,
    });
    sim.must('olga', {
      type: 'recordReadiness',
      nodeId: 'approval',
      supportModel: { inPlace: true },
    });
    expect(items('pat')).toEqual([]);
    expect(items('olga')).toEqual([]);
    // Ready: still recordable (things change), no longer an inbox item.
    expect(nextActions(sim.state, readyTemplate, 'pat')).toContainEqual(
      expect.objectContaining({ action: 'record-readiness', nodeId: 'approval', pending: false }),
    );
  });

  it('survives a recycle: what people reached stays recorded', () => {
    const sim = atApproval(readyTemplate, miniParticipants);
    sim.must('pat', {
      type: 'recordReadiness',
      nodeId: 'approval',
      adkar: { frontline: 'knowledge' },
    });
    sim.must('pat', { type: 'signoff', nodeId: 'approval', decision: 'recycle', criteria: {} });
    expect(sim.state.current).toEqual(['plan']);
    expect(sim.state.nodes.approval?.readiness?.adkar.frontline?.stage).toBe('knowledge');
  });
});
