/**
 * The practice template (issue 10, item 4) is the built-in, step for step, with every duration
 * scaled by one function: a week lasts a minute in the seeded one, a few seconds in tests.
 */
import {
  BUILTIN_TEMPLATES,
  addDuration,
  isDuration,
  opsIntegratedDelivery,
  opsIntegratedDeliveryPractice,
  PRACTICE_KEY,
  practiceTemplate,
  scaleDuration,
  validateTemplate,
  type Template,
} from '../../workflows/model';

/** Every string of a template that reads as an ISO 8601 duration, by its JSON path. */
function durations(value: unknown, path = ''): Record<string, string> {
  if (typeof value === 'string') {
    return /^P/.test(value) && isDuration(value) ? { [path]: value } : {};
  }
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i): [string, unknown] => [`${path}[${i}]`, v])
    : value !== null && typeof value === 'object'
      ? Object.entries(value).map(([k, v]): [string, unknown] => [path ? `${path}.${k}` : k, v])
      : [];
  const found: Record<string, string> = {};
  for (const [at, v] of entries) Object.assign(found, durations(v, at));
  return found;
}

/** The template without its durations, key, name and description: the steps. */
function steps(t: Template): unknown {
  const strip = (value: unknown): unknown =>
    typeof value === 'string' && /^P/.test(value) && isDuration(value)
      ? 'duration'
      : Array.isArray(value)
        ? value.map(strip)
        : value !== null && typeof value === 'object'
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, strip(v)]))
          : value;
  const { key: _key, name: _name, description: _description, ...rest } = t;
  return strip(rest);
}

describe('the practice template', () => {
  it('is seeded beside the built-in, valid, under its own key', () => {
    expect(BUILTIN_TEMPLATES.map((t) => t.key)).toEqual([
      opsIntegratedDelivery.key,
      'ops-integrated-delivery-practice',
    ]);
    expect(opsIntegratedDeliveryPractice.key).toBe(PRACTICE_KEY);
    expect(opsIntegratedDeliveryPractice.name).toBe('Operations-integrated delivery (practice)');
    expect(opsIntegratedDeliveryPractice.description).toMatch(/every week lasting 1 minute/);
    expect(validateTemplate(opsIntegratedDeliveryPractice)).toMatchObject({
      valid: true,
      errors: [],
    });
  });

  it('has the built-in steps, roles, rules, deliverables and edges; only durations differ', () => {
    expect(steps(opsIntegratedDeliveryPractice)).toEqual(steps(opsIntegratedDelivery));
  });

  it('lasts a minute for each week of the built-in, every duration of it', () => {
    const real = durations(opsIntegratedDelivery);
    const practice = durations(opsIntegratedDeliveryPractice);
    expect(Object.keys(practice)).toEqual(Object.keys(real));
    expect(Object.keys(real).length).toBeGreaterThan(20);
    for (const [path, duration] of Object.entries(real)) {
      const ms = addDuration(0, duration);
      const scaledMs = addDuration(0, practice[path]!);
      // Whole seconds, at least one: within half a second of a week → a minute.
      const expected = ms === 0 ? 0 : Math.max(1000, ms / 10_080);
      expect([path, Math.abs(scaledMs - expected) <= 500]).toEqual([path, true]);
    }
    // The values the README names.
    const hypercare = opsIntegratedDeliveryPractice.nodes.find((n) => n.id === 'hypercare');
    expect(hypercare).toMatchObject({
      duration: 'PT4M',
      extendBy: 'PT1M',
      escalation: [
        { after: 'PT0S', notify: ['ops-manager', 'pm'] },
        { after: 'PT26S', notify: ['steering'] },
      ],
    });
    expect(opsIntegratedDeliveryPractice.nodes.find((n) => n.id === 'inception')).toMatchObject({
      sla: { due: 'PT1M26S', remind: ['PT26S', 'PT9S'] },
    });
  });

  it('scales to seconds for tests through the same function', () => {
    const fast = practiceTemplate(opsIntegratedDelivery, { secondsPerWeek: 2 });
    expect(fast.nodes.find((n) => n.id === 'hypercare')).toMatchObject({
      duration: 'PT8S',
      extendBy: 'PT2S',
    });
    expect(validateTemplate(fast).valid).toBe(true);
    expect(fast.description).toMatch(/every week lasting 2 seconds/);
  });

  it('rounds to whole seconds, never below one, zero kept zero', () => {
    expect(scaleDuration('P1D', 60)).toBe('PT9S');
    expect(scaleDuration('P1D', 1)).toBe('PT1S');
    expect(scaleDuration('PT0S', 60)).toBe('PT0S');
    expect(scaleDuration('P52W', 3600)).toBe('PT52H');
    expect(scaleDuration('P1M', 60)).toBe('PT4M26S');
  });
});
