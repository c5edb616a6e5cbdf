/**
 * `npm run bench -- memory [--projects N] [--caches A,B,C] [--concurrency C]`: how much memory
 * a worker needs per project it keeps cached. For each workflow cache size (the worker's
 * `maxCachedWorkflows`, `WORKER_CACHED_WORKFLOWS`), a fresh process opens N projects that wait
 * at their KPI monitor (the built-in template's `kpi-monitoring`, a review due in a month) and
 * reports the worker's RSS once they all wait: its growth over the number of cached projects
 * is the memory a cached project costs. It also reports the process's CPU per project opened
 * (the worker's first workflow task of each, the client's start): what opening one costs.
 *
 * Each project starts as a real one continues after continue-as-new (SPEC: monitors continue
 * as new every 24 reviews): with the state the pure interpreter reaches by the happy path up
 * to the monitor, so one workflow task opens it instead of 30 Updates. A measurement, not an
 * assertion; each cache size runs in a process of its own, so RSS starts from the same place.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { formatColumns } from './measure';
import type { MemoryResult } from './memory-one';
import { numberOptions } from './options';

/** What one process measured (its last stdout line, after this prefix). */
const RESULT = 'memory-result ';

type Result = MemoryResult;

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      caches: { type: 'string' },
      'one-cache': { type: 'string' },
      projects: { type: 'string' },
      concurrency: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const numbers = numberOptions(
    [values.projects, values.concurrency].flatMap((v, i) =>
      v === undefined ? [] : [i === 0 ? '--projects' : '--concurrency', v],
    ),
    {
      projects: { default: 2000, min: 1 },
      concurrency: { default: 20, min: 1 },
    },
  );
  if (typeof values['one-cache'] === 'string') {
    const { measureOne } = await import('./memory-one.js');
    const result = await measureOne({ ...numbers, cache: cacheSize(values['one-cache']) });
    console.log(RESULT + JSON.stringify(result));
    return;
  }
  const caches =
    typeof values.caches === 'string'
      ? values.caches.split(',').map(cacheSize)
      : [Math.ceil(numbers.projects / 4), Math.ceil(numbers.projects / 2), numbers.projects];
  const [load] = os.loadavg();
  console.log(
    `memory bench: ${numbers.projects} projects waiting at their KPI monitor, worker cache ` +
      `sizes ${caches.join(', ')} (${os.availableParallelism()} CPUs, load average ` +
      `${load?.toFixed(1)}, node ${process.version})`,
  );
  const results: Result[] = [];
  for (const cache of caches) {
    const result = await inChild(cache, numbers);
    results.push(result);
    // As it comes: a later size may not fit in memory.
    console.log(`  cache ${cache}: ${JSON.stringify(result)}`);
  }
  report(results);
}

function cacheSize(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 2)
    throw new Error(`a cache size must be an integer ≥ 2: "${text}"`);
  return n;
}

/** Runs one cache size in a fresh process (this bench again, `--one-cache`). */
function inChild(
  cache: number,
  options: { projects: number; concurrency: number },
): Promise<Result> {
  const args = [
    ...process.execArgv,
    process.argv[1]!,
    'memory',
    '--one-cache',
    String(cache),
    '--projects',
    String(options.projects),
    '--concurrency',
    String(options.concurrency),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT));
      if (code !== 0 || !line) {
        reject(new Error(`memory bench, cache ${cache}: exit ${code}\n${out}`));
        return;
      }
      resolve(JSON.parse(line.slice(RESULT.length)) as Result);
    });
  });
}

function report(results: Result[]): void {
  const perProject = (r: Result) => ((r.rssMb - r.rssBaseMb) * 1024) / r.cached;
  const header = [
    'cache',
    'projects',
    'cached',
    'start s',
    'RSS before MB',
    'RSS MB',
    'KB per cached',
    'CPU ms per opened',
  ];
  const rows = results.map((r) => [
    String(r.cache),
    String(r.projects),
    String(r.cached),
    r.startSeconds.toFixed(0),
    r.rssBaseMb.toFixed(0),
    r.rssMb.toFixed(0),
    perProject(r).toFixed(0),
    r.cpuMsPerProject.toFixed(1),
  ]);
  console.log(`\n${formatColumns(header, rows)}`);
  // A smaller cache evicts as projects open: the evicted ones' memory returns to V8's heap,
  // not to the system, so RSS stays near its high-water mark and the ratio overstates. The
  // largest cache, which keeps (nearly) every project, gives the cost of a cached one.
  const largest = results.reduce((a, b) => (b.cached > a.cached ? b : a));
  const kb = perProject(largest);
  console.log(
    `\nmemory: ${kb.toFixed(0)} KB of RSS per cached project (${largest.cached} cached, ` +
      `${largest.rssBaseMb.toFixed(0)} MB before); ` +
      [1_000, 10_000]
        .map((n) => `${n} cached ≈ ${(largest.rssBaseMb + (kb * n) / 1024).toFixed(0)} MB`)
        .join(', '),
  );
}
