/**
 * `npm run bench -- scale [--sizes 1000,10000,100000] [--databases sqlite,postgres]
 * [--requests 1000] [--streams 100,1000] [--keep DIR] [--probes TEXT] [--samples FILE]`: the read side at an
 * organisation's scale.
 * For each database and portfolio size, a fresh app database is seeded through the app's own
 * write path (./scale-seed.ts; with `--keep`, kept in DIR and reused by later runs), the API
 * listens on a local port, and every list, filter and inbox (./scale-probes.ts) is asked
 * `--requests` times in turn by a client on a thread of its own (./scale-client.ts; p50/p99
 * per request kind); then N event streams are held open and
 * the database queries the API runs per second while idle are counted. The last line is the
 * worst growth of a p99 from the smallest portfolio to the largest (target ≤ 1.20). A benchmark,
 * not an assertion: it fails only when something breaks.
 */
import { listenApp, type ListeningApi } from './listen';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { createToken } from '../db/tokens';
import type { Database } from '../db/schema';
import { createMetrics, queriesRun, type Metrics } from '../server/metrics';
import { formatColumns, percentile } from './measure';
import { p99RatioInterval, type Interval } from './ratio-interval';
import { askInThread } from './scale-client';
import { openScaleDatabase, type Keep, type ScaleDatabase } from './scale-database';
import { BUSY, FEW, PMO, SEATING, rehearsePortfolio, seedPeople, seedProjects } from './scale-seed';
import { chosen, probes, type Get } from './scale-probes';
import { idleStreams } from './scale-streams';

interface Options {
  sizes: number[];
  databases: ScaleDatabase['name'][];
  requests: number;
  streams: number[];
  /** Where seeded portfolios are kept for later runs; unset: each run seeds afresh. */
  keep: string | undefined;
  /** Only the request kinds whose name holds this text (`--probes`); unset: all. */
  only: string | undefined;
  /** Where to write every latency measured, as JSON (`--samples FILE`); unset: nowhere. */
  samples: string | undefined;
}

interface SizeResult {
  size: number;
  latencies: Map<string, number[]>;
  /** Database queries per second with N streams open and nothing happening. */
  idle: Map<number, number>;
  seedMs: number;
}

export async function main(argv: string[]): Promise<void> {
  const options = parseOptions(argv);
  const load = os.loadavg()[0];
  console.log(
    `scale bench: portfolios of ${options.sizes.join(', ')} projects on ` +
      `${options.databases.join(' and ')}; ${options.requests} requests per kind, ` +
      `${options.streams.join(', ')} idle streams (${os.availableParallelism()} CPUs, ` +
      `load average ${load?.toFixed(1)}, node ${process.version})`,
  );
  const portfolio = rehearsePortfolio();
  if (options.keep) console.log(`portfolios kept in ${options.keep}`);
  const worst: Ratio[] = [];
  const noise: Ratio[] = [];
  const samples: Record<string, Record<string, Record<string, number[]>>> = {};
  for (const name of options.databases) {
    const { results, control } = await measureDatabase(name, portfolio, options);
    const compared = compare(results, control);
    console.log(`\n${name}\n${formatResults(results, control, compared, options)}`);
    for (const [probe, { growth, again }] of compared) {
      worst.push({ ...growth, what: `${name} ${probe}` });
      noise.push({ ...again, what: `${name} ${probe}` });
    }
    if (options.samples) samples[name] = keptSamples(results, control);
  }
  if (options.samples) {
    await writeFile(options.samples, JSON.stringify(samples));
    console.log(`\nevery latency measured: ${options.samples}`);
  }
  const [smallest, largest] = [label(options.sizes[0]!), label(options.sizes.at(-1)!)];
  const top = worst.sort((a, b) => b.ratio - a.ratio)[0]!;
  const topNoise = noise.sort((a, b) => b.ratio - a.ratio)[0]!;
  console.log(`\nworst: ${top.what}; control's worst: ${topNoise.what}`);
  const beyond = worst.filter((r) => r.interval.low > TARGET).map((r) => r.what);
  const within = worst.filter((r) => r.interval.high <= TARGET).length;
  console.log(
    `p99 ratios whose whole 95% interval is above ${TARGET.toFixed(2)} (growth beyond chance): ` +
      `${beyond.length === 0 ? 'none' : beyond.join('; ')}; ` +
      `wholly at or below it: ${within} of ${worst.length}`,
  );
  console.log(
    `control: worst p99 ratio ${smallest} again/${smallest} = ${topNoise.ratio.toFixed(2)} ` +
      `(the same portfolio through a second API: what chance alone moves a p99 in this run)`,
  );
  console.log(
    `scale: worst p99 ratio ${largest}/${smallest} = ${top.ratio.toFixed(2)} (target ≤ 1.20)`,
  );
}

const TARGET = 1.2;

interface Ratio extends Compared {
  what: string;
}

/** A p99 ratio and its 95% bootstrap interval (./ratio-interval.ts). */
interface Compared {
  ratio: number;
  interval: Interval;
}

/** Per request kind: the largest portfolio's p99 and the control's, each against the smallest's. */
function compare(
  results: SizeResult[],
  control: Map<string, number[]>,
): Map<string, { growth: Compared; again: Compared }> {
  const first = results[0]!.latencies;
  const largest = results.at(-1)!.latencies;
  const against = (samples: number[], base: number[]): Compared => ({
    ratio: percentile(samples, 99) / percentile(base, 99),
    interval: p99RatioInterval(samples, base),
  });
  return new Map(
    [...first].map(([probe, base]) => [
      probe,
      { growth: against(largest.get(probe)!, base), again: against(control.get(probe)!, base) },
    ]),
  );
}

/** Every latency of a database's run, by request kind and portfolio (`--samples`). */
function keptSamples(
  results: SizeResult[],
  control: Map<string, number[]>,
): Record<string, Record<string, number[]>> {
  const kept: Record<string, Record<string, number[]>> = {};
  for (const probe of results[0]!.latencies.keys()) {
    kept[probe] = Object.fromEntries([
      ...results.map((r) => [label(r.size), r.latencies.get(probe)!] as const),
      [`${label(results[0]!.size)} again`, control.get(probe)!] as const,
    ]);
  }
  return kept;
}

const range = ({ low, high }: Interval) => `${low.toFixed(2)}–${high.toFixed(2)}`;

const label = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));

/** One portfolio, seeded, with the API listening on it. */
interface Portfolio {
  size: number;
  database: ScaleDatabase;
  seedMs: number;
  metrics: Metrics;
  api: Awaited<ReturnType<typeof listen>>;
  get: Get;
  tokens: Record<string, string>;
  auditProject: string;
}

/**
 * Every size of one database: all portfolios are seeded first, then each request is asked of
 * every portfolio in turn, so what else the machine does at a moment weighs on every size
 * alike and the ratio compares like with like.
 */
async function measureDatabase(
  name: ScaleDatabase['name'],
  prototypes: ReturnType<typeof rehearsePortfolio>,
  options: Options,
): Promise<{ results: SizeResult[]; control: Map<string, number[]> }> {
  const portfolios: Portfolio[] = [];
  let control: ListeningApi | undefined;
  try {
    const fingerprint = createHash('sha256')
      .update(JSON.stringify({ prototypes, seating: SEATING }))
      .digest('hex');
    for (const size of options.sizes) {
      const keep =
        options.keep === undefined ? undefined : { dir: options.keep, size, fingerprint };
      portfolios.push(await seedPortfolio(name, size, prototypes, keep));
    }
    const paths = await Promise.all(
      portfolios.map(async (p) =>
        Promise.all(
          chosen(probes(p.auditProject), options.only).map(async (probe) =>
            typeof probe.path === 'string' ? probe.path : probe.path(p.get),
          ),
        ),
      ),
    );
    // The control: the smallest portfolio again, through a second API on the same database.
    // Its p99s differ from the first API's by chance alone, which shows how far apart two p99s
    // of one portfolio fall on this machine in this run.
    const smallest = portfolios[0]!;
    control = await listen(smallest.database.db, createMetrics());
    const asked = portfolios.map((p, i) => ({ api: p.api.baseUrl, own: paths[i]!, p }));
    asked.push({ api: control.baseUrl, own: paths[0]!, p: smallest });
    const kinds = chosen(probes(''), options.only);
    const measured = await askInThread({
      targets: kinds.map((probe, k) =>
        asked.map(({ api, own, p }) => ({
          url: new URL(own[k]!, api).toString(),
          token: p.tokens[probe.user]!,
        })),
      ),
      requests: options.requests,
      warmup: 10,
    });
    const latencies = asked.map(
      (_, i) => new Map(kinds.map((probe, k) => [probe.name, measured[k]![i]!])),
    );
    const results: SizeResult[] = [];
    for (const [i, p] of portfolios.entries()) {
      const idle = new Map<number, number>();
      for (const count of options.streams) {
        const queries = () => queriesRun(p.metrics);
        const project = p.auditProject;
        idle.set(count, await idleStreams(p.api.baseUrl, p.tokens, { count, project, queries }));
      }
      results.push({ size: p.size, latencies: latencies[i]!, idle, seedMs: p.seedMs });
    }
    return { results, control: latencies.at(-1)! };
  } finally {
    await control?.close();
    for (const p of portfolios) {
      await p.api.close();
      await p.database.close();
    }
  }
}

async function seedPortfolio(
  name: ScaleDatabase['name'],
  size: number,
  prototypes: ReturnType<typeof rehearsePortfolio>,
  keep: Keep | undefined,
): Promise<Portfolio> {
  const database = await openScaleDatabase(name, keep);
  const { db } = database;
  let seedMs = database.seededMs;
  if (seedMs === undefined) {
    const seedStart = performance.now();
    await seedPeople(db);
    const concurrency = name === 'sqlite' ? 1 : 6;
    await seedProjects(db, prototypes, { from: 0, to: size, total: size }, concurrency);
    seedMs = performance.now() - seedStart;
    await database.analyze();
    await database.markSeeded(seedMs);
    console.log(`${name} ${label(size)}: seeded in ${(seedMs / 1000).toFixed(1)} s`);
  } else {
    console.log(
      `${name} ${label(size)}: kept from an earlier run (seeded in ${(seedMs / 1000).toFixed(1)} s)`,
    );
  }
  const metrics = createMetrics();
  const api = await listen(db, metrics);
  const tokens: Record<string, string> = {};
  for (const user of [PMO, BUSY, FEW]) tokens[user] = (await createToken(db, user, 'scale')).token;
  const get = async (path: string, user: string): Promise<unknown> => {
    const response = await fetch(new URL(path, api.baseUrl), {
      headers: { authorization: `Bearer ${tokens[user]}` },
    });
    const body: unknown = await response.json();
    if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status}`);
    return body;
  };
  const auditProject = await firstProjectOf(db, BUSY);
  return { size, database, seedMs, metrics, api, get, tokens, auditProject };
}

async function firstProjectOf(db: Kysely<Database>, user: string): Promise<string> {
  const row = await db
    .selectFrom('project_members')
    .select('project_id')
    .where('user_id', '=', user)
    .orderBy('started_at', 'desc')
    .executeTakeFirstOrThrow();
  return row.project_id;
}

/** The API on a local port; Temporal is never asked by these reads. */
function listen(db: Kysely<Database>, metrics: Metrics): Promise<ListeningApi> {
  const connection = Connection.lazy({ address: '127.0.0.1:1' });
  return listenApp({
    db,
    temporal: { client: new TemporalClient({ connection }), taskQueue: 'scale' },
    metrics,
    // Thousands of streams from one process: the per-user cap is not what is measured here.
    security: { limits: { streamsPerUser: 100_000 } },
  });
}

function formatResults(
  results: SizeResult[],
  control: Map<string, number[]>,
  compared: ReturnType<typeof compare>,
  options: Options,
): string {
  const sizes = results.map((r) => label(r.size));
  const [smallest, largest] = [sizes[0]!, sizes.at(-1)!];
  const header = [
    'request',
    ...sizes.flatMap((s) => [`p50 ${s}`, `p99 ${s}`]),
    `p99 ${largest}/${smallest}`,
    '95% interval',
    `p99 ${smallest} again`,
    `again/${smallest}`,
    '95% interval',
  ];
  const rows = [...results[0]!.latencies.keys()].map((probe) => {
    const cells = results.flatMap((r) => {
      const samples = r.latencies.get(probe)!;
      return [percentile(samples, 50).toFixed(2), percentile(samples, 99).toFixed(2)];
    });
    const { growth, again } = compared.get(probe)!;
    return [
      probe,
      ...cells,
      growth.ratio.toFixed(2),
      range(growth.interval),
      percentile(control.get(probe)!, 99).toFixed(2),
      again.ratio.toFixed(2),
      range(again.interval),
    ];
  });
  const blank = ['', '', '', '', ''];
  for (const count of options.streams) {
    rows.push([
      `queries/s, ${count} idle streams`,
      ...results.flatMap((r) => ['', r.idle.get(count)!.toFixed(1)]),
      ...blank,
    ]);
  }
  const seeds = results.flatMap((r) => ['', (r.seedMs / 1000).toFixed(0)]);
  rows.push(['seed (s)', ...seeds, ...blank]);
  return (
    `${formatColumns(header, rows)}\n(latencies in ms; p50/p99 over ${options.requests} ` +
    `requests each; "again": the ${smallest} portfolio through a second API, the control; ` +
    `"95% interval": where chance alone may put the ratio, by bootstrap)`
  );
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    sizes: [1_000, 10_000, 100_000],
    databases: ['sqlite', 'postgres'],
    requests: 1_000,
    streams: [100, 1_000],
    keep: undefined,
    only: undefined,
    samples: undefined,
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    const numbers = () => {
      const list = (value ?? '').split(',').map(Number);
      if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1)) {
        throw new Error(
          `${flag}: a comma-separated list of positive whole numbers, not "${value}"`,
        );
      }
      return list;
    };
    if (flag === '--sizes') options.sizes = numbers().sort((a, b) => a - b);
    else if (flag === '--streams') options.streams = numbers();
    else if (flag === '--requests') options.requests = numbers()[0]!;
    else if (flag === '--keep') {
      if (!value) throw new Error('--keep: a directory to keep the seeded portfolios in');
      options.keep = path.resolve(value);
    } else if (flag === '--samples') {
      if (!value) throw new Error('--samples: a file to write every latency measured to');
      options.samples = path.resolve(value);
    } else if (flag === '--probes') {
      if (!value) throw new Error('--probes: a text the names of the request kinds hold');
      options.only = value;
    } else if (flag === '--databases') {
      const names = (value ?? '').split(',');
      if (!names.every((n): n is ScaleDatabase['name'] => n === 'sqlite' || n === 'postgres')) {
        throw new Error(`--databases: sqlite and/or postgres, not "${value}"`);
      }
      options.databases = names;
    } else throw new Error(`unknown option ${flag} (see bench/scale.ts)`);
  }
  if (options.sizes.length < 2) throw new Error('--sizes: at least two portfolio sizes to compare');
  if (options.only !== undefined && chosen(probes(''), options.only).length === 0) {
    throw new Error(`--probes: no request kind's name holds "${options.only}"`);
  }
  return options;
}
