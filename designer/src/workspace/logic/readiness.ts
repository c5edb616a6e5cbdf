/**
 * Training coverage as the readiness panel says it. Percentages are worked out so that the
 * floating point of `share * 100` never shows a figure other than the one counted: 29 of 100
 * trained is 29% (not 28%), a minimum of 0.58 is "58%" (not 57%).
 */

/** Trained of total as a whole percentage, rounded down: never shows a shortfall as reached. */
export function coveragePercent(trained: number, total: number): string {
  return `${Math.floor((trained * 100) / total)}%`;
}

/** A minimum share (0..1) as a percentage, with the decimals it has (0.8 → 80%, 0.805 → 80.5%). */
export function minPercent(min: number): string {
  return `${Math.round(min * 10_000) / 100}%`;
}
