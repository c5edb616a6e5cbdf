/**
 * `npm run proof [-- --projects N --faults K --seed S --no-upgrade]`: the production shape of
 * docker-compose.yml without Docker (scripts/proof/topology.ts), then a chaos run and a rolling
 * upgrade. A PostgreSQL cluster of the proof's own; the real Temporal server on it (persistence
 * and visibility), its schema and namespace by compose's own job scripts, `gatehouse migrate`,
 * two API processes and three workers; N projects driven at once through the whole lifecycle
 * over HTTP while seeded faults strike; then the checks. The last line is the summary; the
 * exit code is 0 only when nothing was lost, duplicated or stuck and every other check passed.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { loadApiConfig, temporalConnectionOptions } from '../config';
import { seatParticipants } from '../workflows/model';
import { createDatabase } from '../db';
import { startSmtpSink } from '../test/support/smtp-sink';
import { startWebhookSink } from '../test/support/webhook-sink';
import { shortTemplate } from '../test/fixtures/short-template';
import { checkRun, type Tally } from './proof/checks';
import { ProofClient, type Endpoint } from './proof/client';
import { onInterrupt, Supervisor, until } from './proof/cluster';
import { chaosRun, type ChaosResult } from './proof/chaos';
import type { Cast } from './proof/drive';
import { clusterHealthy, type Cluster } from './proof/faults';
import { freePorts } from './proof/ports';
import { createProofRoles, dropProofDatabases } from './proof/postgres';
import { proofPostgres } from './proof/proof-postgres';
import { createRng } from './proof/rng';
import { ensureTemporalTools } from './proof/tools';
import { databaseUrl, PROOF_NAMES, topology, type ProofSite } from './proof/topology';
import { rollingUpgrade } from './proof/upgrade';

const ROOT = path.resolve(__dirname, '..');
const say = (line: string) => console.log(`proof: ${line}`);

interface Options {
  projects: number;
  faults: number;
  seed: number;
  upgrade: boolean;
  basePort: number;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    projects: 50,
    faults: 4,
    seed: Number(BigInt(`0x${randomBytes(4).toString('hex')}`) % 2147483647n),
    upgrade: true,
    basePort: Number(process.env.PROOF_BASE_PORT ?? 21000),
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 0) throw new Error(`${flag} takes a whole number`);
      return v;
    };
    if (flag === '--projects') options.projects = Math.max(1, value());
    else if (flag === '--faults') options.faults = value();
    else if (flag === '--seed') options.seed = value();
    else if (flag === '--no-upgrade') options.upgrade = false;
    else if (flag === '--base-port') options.basePort = value();
    else
      throw new Error(`unknown option ${flag} (use --projects N --faults K --seed S --no-upgrade)`);
  }
  return options;
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const logDir = path.join(ROOT, '.tools', 'proof', new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(logDir, { recursive: true });
  say(
    `seed ${options.seed} (replay: npm run proof -- --seed ${options.seed}); logs in ${path.relative(ROOT, logDir)}`,
  );

  const toolsPath = ensureTemporalTools(say);
  const { resolveTemporalCli } = await import('./temporal-cli.mjs');
  const cli = resolveTemporalCli({ install: true, log: say });
  if (!cli.path) throw new Error('the Temporal CLI is needed for the namespace job (install Go)');
  const ports = await freePorts(options.basePort, 17);
  const webhook = await startWebhookSink();
  const smtp = await startSmtpSink();
  const postgres = proofPostgres(ports[16]!);
  say(`PostgreSQL: ${postgres.describe}`);
  const site: ProofSite = {
    adminUrl: postgres.adminUrl,
    pgHost: postgres.host,
    pgPort: postgres.port,
    names: PROOF_NAMES,
    passwords: { app: randomBytes(12).toString('hex'), temporal: randomBytes(12).toString('hex') },
    temporalPorts: ports.slice(0, 9),
    api: [
      { port: ports[9]!, metricsPort: ports[10]! },
      { port: ports[11]!, metricsPort: ports[12]! },
    ],
    workerMetricsPorts: ports.slice(13, 16),
    webhookUrl: webhook.url,
    webhookSecret: `whsec_${randomBytes(32).toString('base64')}`,
    smtpUrl: smtp.url,
    adminToken: `gh_proof_${randomBytes(16).toString('hex')}`,
    dataDir: path.join(logDir, 'data'),
    toolsPath,
    certsDir: path.join(logDir, 'certs'),
  };
  const supervisor = new Supervisor(logDir, say, [toolsPath, path.dirname(cli.path)]);
  const keep = Boolean(process.env.PROOF_KEEP);
  const stopPostgres = () => {
    try {
      const kept = postgres.stop({ keep, logDir });
      if (kept) say(`PostgreSQL kept (PROOF_KEEP): its data is in ${kept}`);
    } catch (error) {
      say(`cleanup: stopping PostgreSQL: ${String(error)}`);
    }
  };
  // pg_ctl starts the cluster in a session of its own: stopped here, not left running.
  onInterrupt(say, () => {
    void supervisor.stopAll();
    stopPostgres();
  });
  const specs = topology(site);
  const db = createDatabase(databaseUrl(site), { onPoolError: () => undefined });
  let connection: Connection | undefined;
  try {
    say('PostgreSQL: proof roles and databases (deploy/postgres/init-roles.sh)');
    await dropProofDatabases(site);
    await createProofRoles(site, supervisor);
    say("certificates: a private CA, the server's and a client's (deploy/temporal/make-certs.sh)");
    await supervisor.job(specs.makeCerts);
    say('temporal-schema job (deploy/temporal/setup-schema.sh)');
    await supervisor.job(specs.temporalSchema);
    const temporal = supervisor.start(specs.temporal);
    say('temporal server starting; temporal-namespace job (deploy/temporal/create-namespace.sh)');
    await supervisor.job(specs.temporalNamespace);
    say('gatehouse-migrate job');
    await supervisor.job(specs.migrate);
    say("the image's workflow bundle (the Dockerfile's npm run workflows:bundle)");
    await supervisor.job(specs.workflowsBundle);
    const apis = specs.apis.map((spec) => supervisor.start(spec));
    const workers = specs.workers.map((spec) => supervisor.start(spec));
    const cluster: Cluster = {
      temporal,
      apis,
      workers,
      apiUrls: site.api.map((a) => `http://127.0.0.1:${a.port}`),
      workerHealthUrls: site.workerMetricsPorts.map((p) => `http://127.0.0.1:${p}/healthz`),
      restartPostgres: () => postgres.restart(),
    };
    const ready = await until(
      '2 APIs and 3 workers healthy',
      () => clusterHealthy(cluster),
      300_000,
      500,
    );
    say(`2 APIs and 3 workers healthy after ${Math.round(ready / 1000)} s`);
    // As the API connects: its variables (mTLS with the proof's client certificate).
    connection = await Connection.connect(
      temporalConnectionOptions(loadApiConfig(specs.apis[0]!.env).temporal),
    );
    const temporalClient = new Client({ connection, namespace: 'default' });

    const rng = createRng(options.seed);
    const endpoints: Endpoint[] = specs.apis.map((spec, i) => ({
      name: spec.name,
      url: cluster.apiUrls[i]!,
      inRotation: true,
    }));
    const client = new ProofClient(endpoints, rng);
    const cast = await prepareCast(client, site.adminToken);
    say(
      `published ${cast.template.key} (the built-in lifecycle with short durations); ${Object.keys(cast.tokens).length} users`,
    );

    const chaos = await chaosRun(options, client, cast, cluster, rng, say);
    const tally = await checkRun({
      runs: chaos.runs,
      db,
      temporal: temporalClient,
      cast,
      client,
      webhook,
      webhookSecret: site.webhookSecret,
      smtp,
      downWindows: chaos.faults.map((f) => [f.window[0], f.window[1]]),
      cutWindows: chaos.faults
        .filter((f) => f.kind === 'worker-kill' || f.kind === 'postgres-restart')
        .map((f) => [f.window[0], f.window[1]]),
      workers: cluster.workers.map((w) => w.spec.name),
      logFile: (name) => supervisor.logFile(name),
      say,
    });
    let upgradeFailures: string[] = [];
    if (options.upgrade) {
      upgradeFailures = await rollingUpgrade({
        site,
        specs,
        supervisor,
        cluster,
        client,
        cast,
        temporal: temporalClient,
        db,
        say,
        logDir,
        rng,
        webhook,
        smtp,
      });
    }
    if (smtp.connectionErrors.length > 0) {
      say(
        `SMTP receiver: ${smtp.connectionErrors.length} client connections ended with an error ` +
          `(${[...new Set(smtp.connectionErrors.map((e) => e.message))].slice(0, 3).join('; ')})`,
      );
    }
    return report(options, chaos, tally, upgradeFailures);
  } finally {
    await connection?.close();
    await supervisor.stopAll();
    await db.destroy();
    await webhook.close();
    await smtp.close();
    if (!keep) await dropProofDatabases(site).catch((e: unknown) => say(`cleanup: ${String(e)}`));
    stopPostgres();
  }
}

/** The PMO, one user per seat, and the short template, created over the API as an admin. */
async function prepareCast(client: ProofClient, adminToken: string): Promise<Cast> {
  const template = {
    ...shortTemplate({
      hypercare: 30,
      extendBy: 10,
      slaDue: 20,
      remindStep: 5,
      escalateStep: 5,
      every: 10,
    }),
    key: 'ops-integrated-delivery-proof',
    name: 'Ops-integrated delivery (proof: short durations)',
  };
  const participants = seatParticipants(template);
  const tokens: Record<string, string> = {};
  const create = async (id: string, pmo: boolean) => {
    const answer = await client.send(`create user ${id}`, 'POST', '/api/users', {
      token: adminToken,
      body: { name: id, email: `${id}@proof.test`, ...(pmo && { pmo: true }) },
    });
    if (answer.status !== 201)
      throw new Error(`creating ${id}: ${answer.status} ${JSON.stringify(answer.body)}`);
    const { id: userId, token } = answer.body as { id: string; token: string };
    tokens[userId] = token;
    return userId;
  };
  const pmoId = await create('proof-pmo', true);
  const byName: Record<string, string> = {};
  for (const userName of new Set(Object.values(participants).flat()))
    byName[userName] = await create(userName, false);
  const seated = Object.fromEntries(
    Object.entries(participants).map(([role, names]) => [role, names.map((n) => byName[n]!)]),
  );
  const pmoToken = tokens[pmoId]!;
  for (const [method, path, status] of [
    ['PUT', `/api/templates/${template.key}/draft`, 200],
    ['POST', `/api/templates/${template.key}/publish`, 201],
  ] as const) {
    const answer = await client.send(`${method} ${path}`, method, path, {
      token: pmoToken,
      ...(method === 'PUT' && { body: template }),
    });
    if (answer.status !== status)
      throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return { template, participants: seated, pmo: { id: pmoId, token: pmoToken }, tokens };
}

function report(
  options: Options,
  chaos: ChaosResult,
  tally: Tally,
  upgradeFailures: string[],
): number {
  for (const f of chaos.faults) {
    say(
      `fault ${f.n}: ${f.kind} ${f.target} at ${f.injectedAt} s, recovered in ${f.recoverySeconds} s`,
    );
  }
  const failures = [...tally.failures, ...upgradeFailures];
  for (const line of failures) say(`FAILED: ${line}`);
  const actions = chaos.runs.reduce((n, r) => n + r.accepted.length, 0);
  const maxRecovery = Math.max(0, ...chaos.faults.map((f) => f.recoverySeconds));
  console.log(
    `proof: projects=${options.projects} actions=${actions} faults=${chaos.faults.length} ` +
      `lost=${tally.lost} duplicated=${tally.duplicated} stuck=${tally.stuck} max-recovery=${maxRecovery}s`,
  );
  return tally.lost + tally.duplicated + tally.stuck > 0 || failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`proof: failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
