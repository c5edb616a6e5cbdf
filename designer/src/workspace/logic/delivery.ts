/**
 * How the project view words its actual delivery against the delivery measures, and the
 * actual-cost form's body, as pure functions (testable without a browser). The standing
 * itself is the model's `deliveryStanding`, the same the API answers.
 */
import type { DeliveryStanding } from '../../../../workflows/model';

/** "12,500" with the reader's grouping; no currency symbol (the code follows). */
export const amount = (n: number) => n.toLocaleString('en-GB', { maximumFractionDigits: 2 });

/** The UTC calendar day of an instant: the days late are counted in these. */
const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);

const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

/** The schedule line: when it was delivered against the target date. */
export function scheduleText(s: DeliveryStanding): string {
  const target = s.targetDate !== undefined ? `target ${s.targetDate}` : 'no target date';
  const delivered = s.deliveredAt !== undefined ? `delivered ${dayOf(s.deliveredAt)}` : '';
  switch (s.schedule) {
    case 'on_time':
      return `${delivered} · on time (${target}${s.daysLate! < 0 ? `, ${days(-s.daysLate!)} early` : ''})`;
    case 'late':
      return `${delivered} · ${days(s.daysLate!)} late (${target})`;
    case 'overdue':
      return `not delivered yet · ${days(s.daysLate!)} overdue (${target})`;
    case 'due':
      return `not delivered yet (${target})`;
    default:
      return delivered ? `${delivered} · ${target}` : `not delivered yet · ${target}`;
  }
}

/** The cost line: spent against budget, with how far over or under. */
export function costText(s: DeliveryStanding): string {
  const cur = s.currency ? ` ${s.currency}` : '';
  const budget = s.budget !== undefined ? `budget ${amount(s.budget)}${cur}` : 'no budget';
  if (s.spent === undefined) return `no actual cost recorded · ${budget}`;
  const spent = `spent ${amount(s.spent)}${cur}`;
  if (s.budget === undefined) return `${spent} · ${budget}`;
  const share =
    s.variance === undefined
      ? s.cost === 'over'
        ? 'over budget'
        : 'within budget'
      : s.variance === 0
        ? 'on budget'
        : `${Math.abs(Math.round(s.variance * 1000) / 10)} % ${s.variance > 0 ? 'over' : 'under'}`;
  return `${spent} of ${budget.replace('budget ', '')} · ${share}${s.costFinal ? ' · final' : ''}`;
}

/** What the actual-cost form sends, or a message for the field when it is not a number. */
export function costBodyOf(
  spent: string,
  currency: string,
): { body?: { spent: number; currency?: string }; error?: string } {
  const n = Number(spent);
  if (spent.trim() === '' || !Number.isFinite(n) || n < 0) {
    return { error: 'the amount spent so far: a number, 0 or more' };
  }
  const code = currency.trim().toUpperCase();
  return { body: { spent: n, ...(code && { currency: code }) } };
}
