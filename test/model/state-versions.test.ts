/** Versions of the state's shape: each migration brings an older state to today's shape. */
import { decide, startProject, type Machine } from '../../workflows/lifecycle';
import {
  migrateState,
  migrateV0,
  ProjectState,
  readState,
  STATE_VERSION,
  type ProjectStateV0,
} from '../../workflows/model';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';

const started = (): Machine =>
  startProject(
    {
      projectId: 'p',
      name: 'P',
      template: miniTemplate,
      version: 1,
      participants: miniParticipants,
      startedBy: 'pmo',
    },
    0,
  ).machine;

/** `state` as version 0 wrote it: no version, no scoped keys, no feedback count. */
function asV0(state: ProjectState): ProjectStateV0 {
  const { version: _version, keys: _keys, feedbackCount: _count, ...rest } = state;
  return rest;
}

describe('state version 0 → 1', () => {
  it('fills in the version, the scoped keys and the feedback count', () => {
    const { state } = started();
    const old: ProjectStateV0 = {
      ...asV0(state),
      feedback: [{ id: 'feedback-1', kind: 'feedback', text: 'old', by: 'pat', at: 0 }],
    };
    const migrated = migrateV0(old);
    expect(migrated.version).toBe(1);
    expect(migrated.keys).toEqual({});
    expect(migrated.feedbackCount).toBe(1);
    expect(ProjectState.parse(migrated)).toEqual(migrated);
  });

  it('keeps the scoped keys and the count a state already had', () => {
    const { state } = started();
    const keys = {
      kx: { fp: 'f', at: 5, result: { status: 'active' as const, current: ['plan'] } },
    };
    const migrated = migrateV0({ ...asV0(state), keys, feedbackCount: 7 });
    expect(migrated.keys).toEqual(keys);
    expect(migrated.feedbackCount).toBe(7);
  });

  it('keeps only the compact answer of a legacy key (no node record)', () => {
    const { state } = started();
    const node = state.nodes.plan!;
    const migrated = migrateV0({
      ...asV0(state),
      idempotency: {
        'k:a': { type: 'feedback', result: { status: 'active', current: ['plan'], node, seq: 3 } },
      },
    });
    expect(migrated.idempotency).toEqual({
      'k:a': { type: 'feedback', result: { status: 'active', current: ['plan'], seq: 3 } },
    });
  });

  it('changes no decision: a migrated state decides as the state it came from', () => {
    const machine = started();
    const command = {
      type: 'feedback' as const,
      actor: { userId: miniParticipants.pm![0]! },
      kind: 'feedback' as const,
      text: 'hello',
    };
    const today = decide(machine, command, 10);
    const migrated = decide({ ...machine, state: migrateState(asV0(machine.state)) }, command, 10);
    expect(migrated).toEqual(today);
  });
});

describe('reading a state', () => {
  it('returns a current state as it is and migrates an older one', () => {
    const { state } = started();
    expect(state.version).toBe(STATE_VERSION);
    expect(migrateState(state)).toBe(state);
    expect(readState(JSON.parse(JSON.stringify(state)))).toEqual(state);
    expect(readState(JSON.parse(JSON.stringify(asV0(state))))).toEqual(state);
  });

  it('refuses what no version wrote', () => {
    expect(() => readState({ version: 1, id: 'p' })).toThrow();
    expect(() => readState(null)).toThrow();
    expect(() => readState({ version: 99 })).toThrow();
  });
});
