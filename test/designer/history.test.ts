/** The undo/redo reducer over snapshots. */
import {
  HISTORY_LIMIT,
  canRedo,
  canUndo,
  historyReducer,
  initHistory,
  type History,
} from '../../designer/src/logic/history';

const run = (h: History<number>, ...actions: Parameters<typeof historyReducer<number>>[1][]) =>
  actions.reduce(historyReducer<number>, h);

describe('history reducer', () => {
  it('undoes and redoes edits in order', () => {
    let h = run(initHistory(0), { type: 'edit', next: 1 }, { type: 'edit', next: 2 });
    expect(h.present).toBe(2);
    h = run(h, { type: 'undo' });
    expect(h.present).toBe(1);
    expect(canRedo(h)).toBe(true);
    h = run(h, { type: 'undo' }, { type: 'undo' });
    expect(h.present).toBe(0);
    expect(canUndo(h)).toBe(false);
    h = run(h, { type: 'redo' }, { type: 'redo' }, { type: 'redo' });
    expect(h.present).toBe(2);
    expect(canRedo(h)).toBe(false);
  });

  it('drops the redo branch on a new edit', () => {
    const h = run(
      initHistory(0),
      { type: 'edit', next: 1 },
      { type: 'undo' },
      { type: 'edit', next: 5 },
    );
    expect(h).toMatchObject({ past: [0], present: 5, future: [] });
  });

  it('merges consecutive edits with the same key into one step', () => {
    let h = run(
      initHistory(0),
      { type: 'edit', next: 1, mergeKey: 'name' },
      { type: 'edit', next: 2, mergeKey: 'name' },
      { type: 'edit', next: 3, mergeKey: 'name' },
    );
    expect(h.past).toEqual([0]);
    h = run(h, { type: 'edit', next: 4, mergeKey: 'other' }, { type: 'undo' });
    expect(h.present).toBe(3);
    // After an undo, a further edit starts a new step even with the old key.
    h = run(h, { type: 'edit', next: 9, mergeKey: 'other' });
    expect(h.past).toEqual([0, 3]);
  });

  it('ignores no-op edits, resets, replaces without a step, and caps its size', () => {
    const h0 = initHistory(0);
    expect(historyReducer(h0, { type: 'edit', next: 0 })).toBe(h0);
    expect(run(h0, { type: 'edit', next: 1 }, { type: 'reset', next: 7 })).toEqual(initHistory(7));
    expect(run(h0, { type: 'edit', next: 1 }, { type: 'replace', next: 8 })).toMatchObject({
      past: [0],
      present: 8,
    });
    let h = h0;
    for (let i = 1; i <= HISTORY_LIMIT + 50; i++) h = historyReducer(h, { type: 'edit', next: i });
    expect(h.past).toHaveLength(HISTORY_LIMIT);
    expect(run(h0, { type: 'undo' }, { type: 'redo' })).toBe(h0);
  });
});
