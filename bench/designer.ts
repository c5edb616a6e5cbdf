/**
 * `npm run bench -- designer [--nodes N] [--runs R]`: a valid N-node template (default 500)
 * opened in the designer in headless Chromium, against bare React Flow showing the same nodes
 * and edges (bench/designer-baseline: default nodes, no editor) in the same run. Each figure is
 * the median of R runs on fresh pages:
 *
 * - first render: from navigation start until every node is in the DOM and measured (React
 *   Flow keeps a node hidden until it is), at the first animation frame where that holds; also
 *   from the moment the template arrived (the draft response), which leaves out loading the
 *   bundle and, for the designer, signing in;
 * - auto-layout: from the click on "Auto layout" until the nodes' positions last changed
 *   (stable for 30 frames afterwards). Both pages run the designer's own ELK layout function.
 *
 * Both are served by one local HTTP server: the production builds (made here with Vite) and a
 * stub of the API routes they read (the session, the template draft, an empty inbox). A
 * benchmark, not an assertion: it fails only when something breaks.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import type { Browser } from 'playwright-core';
import type { TemplateDraft, User } from '../db';
import { designerStatic } from '../server/static';
import { launchBrowser, VIEWPORT } from '../test/browser/support/browser';
import { viteBuild } from '../test/browser/support/vite-build';
import type { Template } from '../workflows/model';
import { BENCH_TEMPLATE_KEY, chainTemplate } from './designer-template';
import { formatColumns, percentile } from './measure';
import { numberOptions } from './options';

const REPO = path.resolve(__dirname, '..');
/** The designer keeps its token here (designer/src/shell/session.tsx). */
const TIMEOUT_MS = 120_000;

interface Options {
  nodes: number;
  runs: number;
}

type Target = 'designer' | 'baseline';

interface Sample {
  /** Navigation start → every node shown. */
  renderMs: number;
  /** The template's arrival (the draft response) → every node shown. */
  renderAfterDataMs: number;
  /** "Auto layout" clicked → positions settled. */
  layoutMs: number;
}

export async function main(argv: string[]): Promise<void> {
  const options: Options = numberOptions(argv, {
    nodes: { default: 500, min: 3 },
    runs: { default: 5, min: 1 },
  });
  const template = chainTemplate(options.nodes);

  const out = await mkdtemp(path.join(os.tmpdir(), 'gatehouse-bench-designer-'));
  let server: Server | undefined;
  let browser: Browser | undefined;
  try {
    console.log(`designer bench: building the designer and the React Flow baseline…`);
    await viteBuild({
      configFile: path.join(REPO, 'designer/vite.config.ts'),
      logLevel: 'error',
      build: { outDir: path.join(out, 'designer'), emptyOutDir: true },
    });
    await viteBuild({
      configFile: false,
      root: path.join(REPO, 'bench/designer-baseline'),
      base: '/baseline/',
      // As the designer's own config does: ELK runs in a worker, not in the main bundle.
      resolve: { alias: { 'elkjs/lib/elk.bundled.js': 'elkjs/lib/elk-api.js' } },
      logLevel: 'error',
      build: {
        outDir: path.join(out, 'baseline'),
        emptyOutDir: true,
        chunkSizeWarningLimit: 2000,
      },
    });
    server = await serve(out, template);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const urls: Record<Target, string> = {
      designer: `${base}/#/templates/${BENCH_TEMPLATE_KEY}/edit`,
      baseline: `${base}/baseline/?key=${BENCH_TEMPLATE_KEY}`,
    };
    browser = await launchBrowser();
    console.log(
      `designer bench: ${template.nodes.length} nodes, ${template.edges.length} edges, ` +
        `${options.runs} run(s) each, Chromium headless ${VIEWPORT.width}×${VIEWPORT.height}`,
    );
    const samples: Record<Target, Sample[]> = { designer: [], baseline: [] };
    for (let run = 1; run <= options.runs; run++) {
      // Alternating which goes first spreads any drift (caches, CPU heat) over both.
      const order: Target[] = run % 2 === 1 ? ['designer', 'baseline'] : ['baseline', 'designer'];
      for (const target of order) {
        const sample = await measure(browser, urls[target], template.nodes.length);
        samples[target].push(sample);
        console.log(
          `  run ${run} ${target.padEnd(8)} first render ${sample.renderMs.toFixed(0)} ms ` +
            `(${sample.renderAfterDataMs.toFixed(0)} ms after the template arrived), ` +
            `auto-layout ${sample.layoutMs.toFixed(0)} ms`,
        );
      }
    }
    console.log(`\n${report(samples)}`);
  } finally {
    await browser?.close();
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    await rm(out, { recursive: true, force: true });
  }
}

/** Both builds and the stub API on a random local port. */
async function serve(out: string, template: Template): Promise<Server> {
  const now = Date.now();
  const user: User = {
    id: 'bench-pmo',
    name: 'Bench PMO',
    email: 'bench@example.test',
    pmo: true,
    admin: false,
    active: true,
    createdAt: now,
  };
  const draft: TemplateDraft = {
    key: template.key,
    body: template,
    updatedAt: now,
    updatedBy: user.id,
  };
  const app = express();
  app.get('/api/me', (_req, res) => void res.json(user));
  // Signed in as far as the page can tell: its session check answers with the user.
  app.get('/api/auth/session', (_req, res) => void res.json({ user, csrfToken: 'bench' }));
  app.get('/api/auth/config', (_req, res) => void res.json({ sso: false, demo: false }));
  app.get(`/api/templates/${template.key}/draft`, (_req, res) => void res.json(draft));
  app.get('/api/inbox', (_req, res) => void res.json({ items: [] }));
  // Anything else the pages ask for (the demo users, versions) is simply not there.
  app.use('/api', (_req, res) => {
    res.status(404).type('application/problem+json');
    res.send(JSON.stringify({ status: 404, title: 'Not Found', errors: [] }));
  });
  app.use('/baseline', express.static(path.join(out, 'baseline')));
  app.use(designerStatic(path.join(out, 'designer')));
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/**
 * In the page: once all `count` nodes are shown, the time (ms since navigation start) and when
 * the template draft's response had arrived.
 */
const renderedAt = (count: number) => `(() => {
  const nodes = document.querySelectorAll('.react-flow__node');
  if (nodes.length < ${count}) return false;
  for (const node of nodes) if (node.style.visibility === 'hidden') return false;
  const draft = performance
    .getEntriesByType('resource')
    .find((entry) => entry.name.endsWith('/draft'));
  return { at: performance.now(), dataAt: draft ? draft.responseEnd : NaN };
})()`;

/** In the page: clicks "Auto layout"; resolves with the ms until positions stopped changing. */
const LAYOUT_SETTLED = `new Promise((resolve, reject) => {
  const STABLE_FRAMES = 30;
  const positions = () =>
    Array.from(document.querySelectorAll('.react-flow__node'), (n) => n.style.transform).join('|');
  let last = positions();
  let changedAt;
  let stable = 0;
  const clickedAt = performance.now();
  document.querySelector('[data-testid="auto-layout"]').click();
  const frame = () => {
    const now = performance.now();
    const current = positions();
    if (current !== last) {
      last = current;
      changedAt = now;
      stable = 0;
    } else if (changedAt !== undefined && ++stable >= STABLE_FRAMES) {
      return resolve(changedAt - clickedAt);
    }
    if (now - clickedAt > ${TIMEOUT_MS}) return reject(new Error('positions never settled'));
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})`;

/** One fresh page (own context, empty cache): first render, then auto-layout. */
async function measure(browser: Browser, url: string, count: number): Promise<Sample> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(url, { waitUntil: 'commit' });
    const rendered = await page.waitForFunction<{ at: number; dataAt: number }, undefined>(
      renderedAt(count),
      undefined,
      { polling: 'raf', timeout: TIMEOUT_MS },
    );
    const { at, dataAt } = await rendered.jsonValue();
    const layoutMs = await page.evaluate<number>(LAYOUT_SETTLED);
    if (errors.length > 0) throw new Error(`${url}: page errors: ${errors.join('; ')}`);
    return { renderMs: at, renderAfterDataMs: at - dataAt, layoutMs };
  } finally {
    await context.close();
  }
}

function report(samples: Record<Target, Sample[]>): string {
  const median = (target: Target, key: keyof Sample) =>
    percentile(
      samples[target].map((s) => s[key]),
      50,
    );
  const row = (label: string, key: keyof Sample) => {
    const designer = median('designer', key);
    const baseline = median('baseline', key);
    return [
      label,
      designer.toFixed(0),
      baseline.toFixed(0),
      `${(designer / baseline).toFixed(2)}×`,
    ];
  };
  return formatColumns(
    ['median', 'designer ms', 'bare React Flow ms', 'ratio'],
    [
      row('first render', 'renderMs'),
      row('  after the template arrived', 'renderAfterDataMs'),
      row('auto-layout', 'layoutMs'),
    ],
  );
}
