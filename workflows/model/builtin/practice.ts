/**
 * The built-in practice template `ops-integrated-delivery-practice` (issue 10, item 4): the
 * built-in lifecycle step for step, with every duration scaled down so that a first-time user
 * sees reminders, escalations and hypercare expire while they watch. Derived by a function,
 * so it follows every later change of the built-in; seeded with it.
 *
 * The seeded practice lasts one minute for each week of the built-in (hypercare P28D → PT4M,
 * extension P7D → PT1M, steering escalation P3D after expiry → PT26S, an inception sign-off
 * due P10D → PT1M26S); a test passes fewer seconds per week to see the same in seconds.
 */
import { addDuration } from '../duration';
import { DURATION_FIELDS } from '../duration-bounds';
import type { Template } from '../template';
import { opsIntegratedDelivery } from './ops-integrated-delivery';

export const PRACTICE_KEY = 'ops-integrated-delivery-practice';
/** The seeded practice: a week of the built-in lasts this many seconds. */
export const PRACTICE_SECONDS_PER_WEEK = 60;

const WEEK_MS = 7 * 86_400_000;

/**
 * `duration` scaled to `secondsPerWeek` seconds a week, in whole seconds: at least one second
 * when it was more than zero (a template's durations must stay positive), zero when zero.
 * Months count as they fall from the epoch (P1M: 31 days).
 */
export function scaleDuration(duration: string, secondsPerWeek: number): string {
  const ms = addDuration(0, duration);
  if (ms === 0) return 'PT0S';
  const total = Math.max(1, Math.round((ms / WEEK_MS) * secondsPerWeek));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s ? `${s}S` : ''}`;
}

/** A copy of `value` with every duration field scaled. */
function scaled(value: unknown, secondsPerWeek: number, field?: string): unknown {
  if (typeof value === 'string' && field !== undefined && DURATION_FIELDS.has(field)) {
    return scaleDuration(value, secondsPerWeek);
  }
  if (Array.isArray(value)) return value.map((v) => scaled(v, secondsPerWeek, field));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => [key, scaled(v, secondsPerWeek, key)]),
    );
  }
  return value;
}

/** The practice version of `base`: the same steps, a week lasting `secondsPerWeek` seconds. */
export function practiceTemplate(
  base: Template = opsIntegratedDelivery,
  { secondsPerWeek = PRACTICE_SECONDS_PER_WEEK }: { secondsPerWeek?: number } = {},
): Template {
  const { nodes, edges, layout, ...meta } = base;
  const minutes = secondsPerWeek / 60;
  const pace =
    minutes >= 1 && Number.isInteger(minutes)
      ? `${minutes} minute${minutes === 1 ? '' : 's'}`
      : `${secondsPerWeek} second${secondsPerWeek === 1 ? '' : 's'}`;
  return {
    ...meta,
    key: PRACTICE_KEY,
    name: `${base.name} (practice)`,
    description:
      `Practice run of "${base.name}": the same steps, every week lasting ${pace}, so that ` +
      'reminders, escalations and the hypercare expiry happen while you watch.' +
      (base.description ? ` ${base.description}` : ''),
    nodes: scaled(nodes, secondsPerWeek) as Template['nodes'],
    edges,
    ...(layout && { layout }),
  };
}

/** The seeded practice template. */
export const opsIntegratedDeliveryPractice = practiceTemplate();
