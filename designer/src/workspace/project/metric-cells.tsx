/** Table cells every metrics table of the project view shows alike. */

/** The metric's name, with its unit. */
export function MetricNameCell({ name, unit }: { name: string; unit?: string | undefined }) {
  return (
    <td>
      {name}
      {unit ? ` (${unit})` : ''}
    </td>
  );
}

/** A measured value, marked on or off target when that is known. */
export function MetricValueCell({
  value,
  met,
  testId,
}: {
  value: number | undefined;
  met: boolean | undefined;
  testId?: string;
}) {
  return (
    <td {...(testId && { 'data-testid': testId })}>
      {value ?? 'not measured'}
      {met !== undefined && (met ? ' ✓' : ' ✗')}
    </td>
  );
}

/** The target, as the bound the metric must reach in its direction. */
export function MetricTargetCell({
  direction,
  target,
}: {
  direction: 'increase' | 'decrease';
  target: number;
}) {
  return (
    <td>
      {direction === 'increase' ? '≥' : '≤'} {target}
    </td>
  );
}
