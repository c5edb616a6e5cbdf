/**
 * An accessibility audit of what a page shows now: axe-core (Deque's rules engine, the one
 * WCAG auditors' tools build on) injected into the page and run against WCAG 2.0/2.1 A and AA
 * and axe's best practices (landmarks, heading order, one main heading). Violations come back
 * as one readable line each, so a failing test says what broke, where and how to fix it.
 * The whole document is audited, React Flow's canvas included: @xyflow/react's own markup
 * (its nodes, edges, controls and live region) passes as it is, so nothing is excluded.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** What the audit holds the app to: WCAG 2.1 AA and axe's best practices. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/** Impacts that fail the audit: all but `minor` (axe rates a rule's violations by impact). */
const FAILING = ['critical', 'serious', 'moderate'];

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

/** axe's violations of the page as it is, with an impact of moderate or worse. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated, not added as a <script>: the app's Content Security Policy allows no inline
  // script, and the audit must not need it to.
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE_SOURCE);
  // The page-side call is given as source: this Node project's typings have no DOM.
  const violations = await page.evaluate<AxeViolation[]>(`(async () => {
    const result = await window.axe.run(
      document,
      {
        runOnly: { type: 'tag', values: ${JSON.stringify(TAGS)} },
        resultTypes: ['violations'],
      },
    );
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  })()`);
  return violations.filter((v) => FAILING.includes(v.impact ?? ''));
}

/** One line per violation and node: rule, impact, where, what to do. */
export function describeViolations(screen: string, violations: AxeViolation[]): string[] {
  return violations.flatMap((v) =>
    v.nodes.map(
      (n) =>
        `${screen}: ${v.id} (${v.impact}) at ${JSON.stringify(n.target)}: ${v.help}` +
        (n.failureSummary ? ` — ${n.failureSummary.replace(/\s*\n\s*/g, ' ')}` : ''),
    ),
  );
}
