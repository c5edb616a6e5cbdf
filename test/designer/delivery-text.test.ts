/**
 * How the project view words actual delivery against the delivery measures (the metrics panel
 * and the PIR show these lines), and the actual-cost form's body.
 */
import { costBodyOf, costText, scheduleText } from '../../designer/src/workspace/logic/delivery';
import type { DeliveryStanding } from '../../workflows/model';

const at = Date.UTC(2027, 3, 3, 15);
const base: DeliveryStanding = { costFinal: false };

describe('the delivery lines', () => {
  it('say when it was delivered against the target date', () => {
    const delivered = { ...base, targetDate: '2027-03-31', deliveredAt: at };
    expect(scheduleText({ ...delivered, schedule: 'late', daysLate: 3 })).toBe(
      'delivered 2027-04-03 · 3 days late (target 2027-03-31)',
    );
    expect(scheduleText({ ...delivered, schedule: 'on_time', daysLate: -1 })).toBe(
      'delivered 2027-04-03 · on time (target 2027-03-31, 1 day early)',
    );
    expect(
      scheduleText({ ...base, targetDate: '2027-03-31', schedule: 'overdue', daysLate: 1 }),
    ).toBe('not delivered yet · 1 day overdue (target 2027-03-31)');
    expect(scheduleText({ ...base, targetDate: '2027-03-31', schedule: 'due' })).toBe(
      'not delivered yet (target 2027-03-31)',
    );
    expect(scheduleText({ ...base, deliveredAt: at })).toBe(
      'delivered 2027-04-03 · no target date',
    );
  });

  it('say what was spent against the budget, how far over or under', () => {
    const budget = { ...base, budget: 120_000, currency: 'EUR' };
    expect(costText(budget)).toBe('no actual cost recorded · budget 120,000 EUR');
    expect(costText({ ...budget, spent: 132_000, cost: 'over', variance: 0.1 })).toBe(
      'spent 132,000 EUR of 120,000 EUR · 10 % over',
    );
    expect(
      costText({ ...budget, spent: 114_000, cost: 'within', variance: -0.05, costFinal: true }),
    ).toBe('spent 114,000 EUR of 120,000 EUR · 5 % under · final');
    expect(costText({ ...base, spent: 10, currency: 'CHF' })).toBe('spent 10 CHF · no budget');
    expect(costText({ ...base, budget: 0, currency: 'EUR', spent: 5, cost: 'over' })).toBe(
      'spent 5 EUR of 0 EUR · over budget',
    );
  });

  it('the form sends a number and the currency in capitals, or says what is wrong', () => {
    expect(costBodyOf('1250.5', 'eur')).toEqual({ body: { spent: 1250.5, currency: 'EUR' } });
    expect(costBodyOf('10', '')).toEqual({ body: { spent: 10 } });
    expect(costBodyOf('', 'EUR').error).toBeDefined();
    expect(costBodyOf('ten', 'EUR').error).toBeDefined();
    expect(costBodyOf('-5', 'EUR').error).toBe('the amount spent so far: a number, 0 or more');
  });
});
