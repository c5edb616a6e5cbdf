/**
 * ISO 8601 durations: what counts as a (positive) duration, and UTC calendar arithmetic,
 * including month ends, leap days and negative durations.
 */
import fc from 'fast-check';
import {
  addDuration,
  addDurationTimes,
  isDuration,
  isPositiveDuration,
  parseDuration,
  subtractDuration,
} from '../../workflows/model';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('parseDuration', () => {
  it('reads every designator', () => {
    expect(parseDuration('P1Y2M3W4DT5H6M7S')).toEqual({
      years: 1,
      months: 2,
      weeks: 3,
      days: 4,
      hours: 5,
      minutes: 6,
      seconds: 7,
    });
    expect(parseDuration('PT3S')).toEqual({ seconds: 3 });
    expect(parseDuration('-P1D')).toEqual({ days: 1, negative: true });
  });

  it.each([
    ...['', 'P', 'PT', 'P1DT', '1D', 'p1d', 'P1H', 'PT1D', 'soon', '3 days', 'P.5D'],
    // Trailing or leading text and signed parts: a lenient parser would take these.
    ...['P1D2H', 'xP1D', 'P1D ', ' P1D', 'P1DT2H junk', 'P-1D', 'PT-3S', '--P1D'],
  ])('rejects %p', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('isDuration and isPositiveDuration', () => {
  it.each<[string, boolean, boolean]>([
    ['PT3S', true, true],
    ['P1W', true, true],
    ['P28D', true, true],
    ['P1M', true, true],
    ['P1DT12H', true, true],
    ['P1.5D', true, true],
    ['PT1,5S', true, true],
    ['PT0.5S', true, true],
    ['PT0S', true, false],
    ['P0D', true, false],
    ['P0Y0M', true, false],
    // Rounds to no time at all: a timer of it would fire at once.
    ['PT0.0001S', true, false],
    ['-P1D', false, false],
    ['-PT0S', false, false],
    // A fraction of a month or year has no fixed length.
    ['P0.5M', false, false],
    ['P1.5Y', false, false],
    // Beyond what a date can hold.
    [`P${'9'.repeat(400)}D`, false, false],
    ['P999999999Y', false, false],
    ['tomorrow', false, false],
  ])('%s: duration %p, positive %p', (text, duration, positive) => {
    expect(isDuration(text)).toBe(duration);
    expect(isPositiveDuration(text)).toBe(positive);
  });
});

describe('addDuration', () => {
  const noon = at('2024-05-10T12:00:00Z');

  it.each<[string, string]>([
    ['PT3S', '2024-05-10T12:00:03.000Z'],
    ['PT0.5S', '2024-05-10T12:00:00.500Z'],
    ['PT90M', '2024-05-10T13:30:00.000Z'],
    ['P1W', '2024-05-17T12:00:00.000Z'],
    ['P1DT2H', '2024-05-11T14:00:00.000Z'],
    ['P1.5D', '2024-05-12T00:00:00.000Z'],
    ['P1M', '2024-06-10T12:00:00.000Z'],
    ['P1Y', '2025-05-10T12:00:00.000Z'],
    ['PT0S', '2024-05-10T12:00:00.000Z'],
    ['-P1D', '2024-05-09T12:00:00.000Z'],
    ['-PT3S', '2024-05-10T11:59:57.000Z'],
  ])('%s after noon', (duration, expected) => {
    expect(iso(addDuration(noon, duration))).toBe(expected);
  });

  it.each<[string, string, string]>([
    ['2024-01-31T09:15:00Z', 'P1M', '2024-02-29T09:15:00.000Z'],
    ['2023-01-31T09:15:00Z', 'P1M', '2023-02-28T09:15:00.000Z'],
    ['2024-03-31T00:00:00Z', 'P1M', '2024-04-30T00:00:00.000Z'],
    ['2023-12-31T23:59:59Z', 'P2M', '2024-02-29T23:59:59.000Z'],
    ['2024-08-31T00:00:00Z', 'P6M', '2025-02-28T00:00:00.000Z'],
    ['2024-02-29T00:00:00Z', 'P1Y', '2025-02-28T00:00:00.000Z'],
    ['2024-02-29T00:00:00Z', 'P4Y', '2028-02-29T00:00:00.000Z'],
    ['2024-01-30T00:00:00Z', 'P1Y1M', '2025-02-28T00:00:00.000Z'],
    // Months first, then days: Jan 31 + 1 month = Feb 29, + 1 day = Mar 1.
    ['2024-01-31T00:00:00Z', 'P1M1D', '2024-03-01T00:00:00.000Z'],
    ['2024-03-31T00:00:00Z', '-P1M', '2024-02-29T00:00:00.000Z'],
  ])('%s + %s clamps to the month end', (from, duration, expected) => {
    expect(iso(addDuration(at(from), duration))).toBe(expected);
  });

  it.each(['soon', '', 'P0.5M'])('throws a RangeError on %p', (text) => {
    expect(() => addDuration(0, text)).toThrow(RangeError);
  });
});

describe('addDurationTimes', () => {
  const jan31 = at('2024-01-31T09:15:00Z');

  it.each<[string, number, string]>([
    ['P1M', 0, '2024-01-31T09:15:00.000Z'],
    ['P1M', 1, '2024-02-29T09:15:00.000Z'],
    ['P1M', 2, '2024-03-31T09:15:00.000Z'],
    ['P1M', 3, '2024-04-30T09:15:00.000Z'],
    ['P1M', 13, '2025-02-28T09:15:00.000Z'],
    ['P1M1D', 2, '2024-04-02T09:15:00.000Z'],
    ['PT1.5S', 3, '2024-01-31T09:15:04.500Z'],
    ['P1W', 4, '2024-02-28T09:15:00.000Z'],
  ])('Jan 31 + %s × %i counts from the start', (duration, times, expected) => {
    expect(iso(addDurationTimes(jan31, duration, times))).toBe(expected);
  });

  it('equals repeated adding for durations without calendar months', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 50 }), (s, n) => {
        const duration = `PT${s}S`;
        let chained = jan31;
        for (let i = 0; i < n; i++) chained = addDuration(chained, duration);
        return addDurationTimes(jan31, duration, n) === chained;
      }),
    );
  });

  it.each([-1, 1.5, Number.NaN])('throws a RangeError on %p periods', (times) => {
    expect(() => addDurationTimes(jan31, 'P1D', times)).toThrow(RangeError);
  });
});

describe('subtractDuration', () => {
  it.each<[string, string, string]>([
    ['2024-03-31T10:00:00Z', 'P1M', '2024-02-29T10:00:00.000Z'],
    ['2023-03-31T10:00:00Z', 'P1M', '2023-02-28T10:00:00.000Z'],
    ['2024-03-01T10:00:00Z', 'P1M', '2024-02-01T10:00:00.000Z'],
    ['2024-01-15T10:00:00Z', 'P1M', '2023-12-15T10:00:00.000Z'],
    ['2025-02-28T00:00:00Z', 'P1Y', '2024-02-28T00:00:00.000Z'],
    ['2024-05-10T12:00:00Z', 'P2D', '2024-05-08T12:00:00.000Z'],
    ['2024-05-10T12:00:00Z', 'PT3S', '2024-05-10T11:59:57.000Z'],
    ['2024-05-10T12:00:00Z', '-PT3S', '2024-05-10T12:00:03.000Z'],
  ])('%s - %s', (from, duration, expected) => {
    expect(iso(subtractDuration(at(from), duration))).toBe(expected);
  });

  it('throws a RangeError on text that is not a duration', () => {
    expect(() => subtractDuration(0, 'yesterday')).toThrow(RangeError);
  });
});

describe('duration properties', () => {
  const from = fc.integer({ min: at('1990-01-01T00:00:00Z'), max: at('2090-01-01T00:00:00Z') });
  const part = (designator: string) =>
    fc.option(
      fc.nat({ max: 40 }).map((n) => `${n}${designator}`),
      { nil: '' },
    );
  const duration = fc
    .tuple(part('Y'), part('M'), part('W'), part('D'), part('H'), part('M'), part('S'))
    .map(([y, mo, w, d, h, mi, s]) => {
      const time = h + mi + s;
      return `P${y}${mo}${w}${d}${time && `T${time}`}`;
    })
    .filter((text) => parseDuration(text) !== undefined);

  it('a positive duration always moves an instant forward', () => {
    fc.assert(
      fc.property(from, duration, (t, d) => {
        if (isPositiveDuration(d)) expect(addDuration(t, d)).toBeGreaterThan(t);
        else expect(addDuration(t, d)).toBe(t);
      }),
    );
  });

  it('subtracting undoes adding for durations without calendar months', () => {
    const fixed = duration.filter((d) => {
      const parts = parseDuration(d);
      return (parts?.years ?? 0) + (parts?.months ?? 0) === 0;
    });
    fc.assert(
      fc.property(from, fixed, (t, d) => {
        expect(subtractDuration(addDuration(t, d), d)).toBe(t);
      }),
    );
  });

  it('adding months never lands past the end of the target month', () => {
    fc.assert(
      fc.property(from, fc.integer({ min: 1, max: 48 }), (t, n) => {
        const start = new Date(t);
        const end = new Date(addDuration(t, `P${n}M`));
        const monthsApart =
          (end.getUTCFullYear() - start.getUTCFullYear()) * 12 +
          end.getUTCMonth() -
          start.getUTCMonth();
        expect(monthsApart).toBe(n);
        expect(end.getUTCDate()).toBeLessThanOrEqual(start.getUTCDate());
        expect(end.getTime() % 86_400_000).toBe(t % 86_400_000);
      }),
    );
  });
});
