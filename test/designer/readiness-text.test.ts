/** The readiness panel's training coverage: the percentages it shows are the ones counted. */
import { coveragePercent, minPercent } from '../../designer/src/workspace/logic/readiness';

describe('training coverage as the readiness panel shows it', () => {
  it('shows the share counted, not one less where floating point falls short', () => {
    // 29 / 100 * 100 is 28.999…: floored, the panel said "29 / 100 (28%)".
    expect(coveragePercent(29, 100)).toBe('29%');
    expect(coveragePercent(57, 100)).toBe('57%');
    expect(coveragePercent(113, 200)).toBe('56%');
    expect(coveragePercent(199, 200)).toBe('99%');
    expect(coveragePercent(20, 20)).toBe('100%');
    expect(coveragePercent(0, 3)).toBe('0%');
  });

  it('shows a minimum as authored', () => {
    // 0.58 * 100 is 57.999…: floored, the panel said "≥ 57%".
    expect(minPercent(0.58)).toBe('58%');
    expect(minPercent(0.29)).toBe('29%');
    expect(minPercent(0.8)).toBe('80%');
    expect(minPercent(0.805)).toBe('80.5%');
    expect(minPercent(1)).toBe('100%');
  });
});
