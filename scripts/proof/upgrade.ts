/**
 * The rolling upgrade, on the running cluster, as README's "Upgrading Gatehouse" tells an
 * operator: back up the app database, apply the new build's migration with `gatehouse
 * migrate` while the old processes run on, then replace the API processes (each taken out of
 * the balancer's rotation first) and the workers (each draining on SIGTERM) one at a time.
 * The "new build" is this tree plus one additive migration, copied next to the logs. A batch
 * of projects runs through it all; afterwards they must all have ended, with nothing lost or
 * duplicated and no request answered but 2xx/4xx or 503. An old build started on the new
 * schema must refuse with its one line.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Database } from '../../db';
import type { SmtpSink } from '../../test/support/smtp-sink';
import type { WebhookSink } from '../../test/support/webhook-sink';
import { checkRun } from './checks';
import { ProofClient } from './client';
import { answers200, until, type Supervisor } from './cluster';
import { driveProject, type Cast } from './drive';
import type { Cluster } from './faults';
import type { Rng } from './rng';
import type { ProcessSpec, ProofSite, topology } from './topology';

const ROOT = path.resolve(__dirname, '..', '..');
export const UPGRADE_MIGRATION = '9000_rolling_upgrade_check';
const BATCH = 10;

export interface UpgradeContext {
  site: ProofSite;
  specs: ReturnType<typeof topology>;
  supervisor: Supervisor;
  cluster: Cluster;
  client: ProofClient;
  cast: Cast;
  temporal: Client;
  db: Kysely<Database>;
  say: (line: string) => void;
  logDir: string;
  rng: Rng;
  webhook: WebhookSink;
  smtp: SmtpSink;
}

/** Runs the upgrade; resolves with what went wrong (nothing: an empty list). */
export async function rollingUpgrade(ctx: UpgradeContext): Promise<string[]> {
  const { say, supervisor, cluster } = ctx;
  const next = buildNext(ctx.logDir);
  say(
    `rolling upgrade: the next build (this tree + migration ${UPGRADE_MIGRATION}) in ${path.relative(ROOT, next)}`,
  );
  const client = new ProofClient(ctx.client.endpoints, ctx.rng);
  const failures: string[] = [];
  const started = Date.now();
  let accepted = 0;
  const batch = Array.from({ length: BATCH }, (_, i) =>
    driveProject(client, ctx.cast, `upgrade-${started}-${i + 1}`, {
      think: () => 300 + ctx.rng.next() * 1_200,
      onAccepted: () => (accepted += 1),
    }),
  );
  await until('the batch under way', async () => accepted >= BATCH * 4, 120_000);

  const dump = path.join(ctx.logDir, `${ctx.site.names.appDb}.dump`);
  const admin = new URL(ctx.site.adminUrl);
  execFileSync('pg_dump', [
    '-h',
    admin.hostname,
    '-p',
    admin.port || '5432',
    '-U',
    admin.username || 'postgres',
    '-Fc',
    '-f',
    dump,
    ctx.site.names.appDb,
  ]);
  say(
    `rolling upgrade: backed up ${ctx.site.names.appDb} (pg_dump -Fc) to ${path.relative(ROOT, dump)}`,
  );

  const nextSpec = (spec: ProcessSpec): ProcessSpec => ({
    ...spec,
    name: `${spec.name}-next`,
    command: ['sh', path.join(next, 'scripts', 'container-entry.sh'), spec.command.at(-1)!],
  });
  await supervisor.job(nextSpec(ctx.specs.migrate), next);
  say(
    `rolling upgrade: gatehouse migrate (next build) applied ${UPGRADE_MIGRATION}; the old processes run on`,
  );

  // An old build (re)started now must refuse, with its one line, rather than run or migrate.
  const stale = {
    ...ctx.specs.apis[0]!,
    name: 'gatehouse-api-old-build',
    env: { ...ctx.specs.apis[0]!.env, PORT: '0', API_METRICS_PORT: '0' },
  };
  const refused = await supervisor.job(stale).then(
    () => 'it started',
    (error: unknown) => String(error),
  );
  if (!refused.includes('schema is newer than this build')) {
    failures.push(
      `upgrade: an old API on the new schema did not refuse with its line: ${refused.slice(0, 300)}`,
    );
  } else
    say(
      'rolling upgrade: an old API started now refuses: "the app database schema is newer than this build …"',
    );

  for (const [i, old] of cluster.apis.entries()) {
    const endpoint = client.endpoints[i]!;
    endpoint.inRotation = false; // the balancer drains it first
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await old.stop();
    cluster.apis[i] = supervisor.start(nextSpec(old.spec), next);
    await until(
      `${old.spec.name} (next) ready`,
      () => answers200(`${cluster.apiUrls[i]}/readyz`),
      120_000,
    );
    endpoint.inRotation = true;
    say(`rolling upgrade: ${old.spec.name} replaced by the next build`);
  }
  for (const [i, old] of cluster.workers.entries()) {
    await old.stop(); // SIGTERM: it drains the tasks it holds
    cluster.workers[i] = supervisor.start(nextSpec(old.spec), next);
    await until(
      `${old.spec.name} (next) healthy`,
      () => answers200(cluster.workerHealthUrls[i]!),
      180_000,
    );
    say(`rolling upgrade: ${old.spec.name} replaced by the next build`);
  }

  const runs = await Promise.all(batch);
  const tally = await checkRun({
    runs,
    db: ctx.db,
    temporal: ctx.temporal,
    cast: ctx.cast,
    client,
    webhook: ctx.webhook,
    webhookSecret: ctx.site.webhookSecret,
    smtp: ctx.smtp,
    // 503s are allowed while processes are replaced; nothing else is.
    downWindows: [[started, Date.now()]],
    // Processes are replaced gracefully (SIGTERM, drained): no delivery may be cut.
    cutWindows: [],
    workers: ctx.cluster.workers.map((w) => w.spec.name),
    logFile: (name) => ctx.supervisor.logFile(name),
    say: (line) => say(`rolling upgrade: ${line}`),
  });
  failures.push(...tally.failures.map((f) => `upgrade: ${f}`));
  if (tally.lost + tally.duplicated + tally.stuck > 0) {
    failures.push(
      `upgrade: lost=${tally.lost} duplicated=${tally.duplicated} stuck=${tally.stuck}`,
    );
  }
  say(
    `rolling upgrade: ${runs.filter((r) => r.done).length}/${BATCH} projects through it in ${Math.round((Date.now() - started) / 1000)} s`,
  );
  return failures;
}

/** This tree's files (what a clone holds) plus the extra migration; node_modules shared. */
function buildNext(logDir: string): string {
  const next = path.join(logDir, 'next-build');
  const files = execFileSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    { cwd: ROOT, encoding: 'utf8' },
  )
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(path.dirname(path.join(next, file)), { recursive: true });
    cpSync(path.join(ROOT, file), path.join(next, file));
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(next, 'node_modules'));
  writeFileSync(
    path.join(next, 'db', 'migrations', `${UPGRADE_MIGRATION}.ts`),
    [
      '/** An additive change, as a new release would bring: the old build runs on beside it. */',
      "import type { Kysely } from 'kysely';",
      '',
      'export async function up(db: Kysely<unknown>): Promise<void> {',
      "  await db.schema.createTable('rolling_upgrade_check').addColumn('id', 'text', (c) => c.primaryKey()).execute();",
      '}',
      '',
      'export async function down(db: Kysely<unknown>): Promise<void> {',
      "  await db.schema.dropTable('rolling_upgrade_check').execute();",
      '}',
      '',
    ].join('\n'),
  );
  const index = path.join(next, 'db', 'migrations', 'index.ts');
  const source = readFileSync(index, 'utf8')
    .replace(
      /(\nexport const migrations[^{]*\{)/,
      `\nimport * as upgradeCheck from './${UPGRADE_MIGRATION}';$1`,
    )
    .replace(/\n\};\s*$/, `\n  '${UPGRADE_MIGRATION}': upgradeCheck,\n};\n`);
  if (!source.includes(`'${UPGRADE_MIGRATION}': upgradeCheck`))
    throw new Error(`could not register ${UPGRADE_MIGRATION} in ${index}`);
  writeFileSync(index, source);
  // Its image build's step: the workers of the next build load their own workflow bundle.
  execFileSync('node', ['--import', 'tsx', path.join(next, 'scripts', 'bundle-workflows.ts')], {
    cwd: next,
    stdio: 'ignore',
  });
  return next;
}
