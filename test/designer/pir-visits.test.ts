/**
 * A review entered again: its decisions and follow-up actions by the visit they belong to, the
 * latest first, and the headings the PIR panel gives each visit.
 */
import { byVisit, visitHeading } from '../../designer/src/workspace/logic/pir';
import { reviewActionVisit } from '../../workflows/lifecycle';
import type { Obligation } from '../../workflows/model';

const decision = (id: string, visit: number) => ({ id, visit });

describe('a review’s items by visit', () => {
  it('puts the latest visit first, earlier ones newest first, each in its own order', () => {
    const items = [
      decision('pir-1-d1', 1),
      decision('pir-1-d2', 1),
      decision('pir-2-d3', 2),
      decision('pir-3-d4', 3),
      decision('pir-3-d5', 3),
    ];
    expect(byVisit(items, (d) => d.visit, 3)).toEqual([
      { visit: 3, latest: true, items: [items[3], items[4]] },
      { visit: 2, latest: false, items: [items[2]] },
      { visit: 1, latest: false, items: [items[0], items[1]] },
    ]);
  });

  it('keeps a group for the latest visit while it has none yet, and none for empty earlier ones', () => {
    const items = [decision('pir-1-d1', 1)];
    expect(byVisit(items, (d) => d.visit, 3)).toEqual([
      { visit: 3, latest: true, items: [] },
      { visit: 1, latest: false, items },
    ]);
    expect(byVisit([], (d: { visit: number }) => d.visit, 1)).toEqual([
      { visit: 1, latest: true, items: [] },
    ]);
  });

  it('counts an item of unknown visit as the first visit’s', () => {
    const items = [{ id: 'x' }, { id: 'pir-2-a1' }];
    const visitOf = (i: { id: string }) => (i.id === 'x' ? undefined : 2);
    expect(byVisit(items, visitOf, 2)).toEqual([
      { visit: 2, latest: true, items: [items[1]] },
      { visit: 1, latest: false, items: [items[0]] },
    ]);
  });
});

describe('a visit’s heading', () => {
  const group = (visit: number, latest: boolean, n: number) => ({
    visit,
    latest,
    items: Array.from({ length: n }, (_, i) => i),
  });
  it('says this visit while the review is current, the latest once it is left', () => {
    expect(visitHeading(group(2, true, 1), true, 'decision')).toBe(
      'This visit (visit 2) · 1 decision',
    );
    expect(visitHeading(group(2, true, 0), false, 'action')).toBe(
      'Latest visit (visit 2) · 0 actions',
    );
    expect(visitHeading(group(1, false, 3), true, 'decision')).toBe('Visit 1 · 3 decisions');
  });
});

describe('the visit of a follow-up action', () => {
  const action = (id: string) => ({ id }) as Obligation;
  it('is read from its id, also for a node id that ends in a number', () => {
    expect(reviewActionVisit(action('pir-1-a1'))).toBe(1);
    expect(reviewActionVisit(action('pir-2-3-a12'))).toBe(3);
    expect(reviewActionVisit(action('c1'))).toBeUndefined();
  });
});
