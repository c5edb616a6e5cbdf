/**
 * The proof on the machine's PostgreSQL: its own roles and databases (removed before and after
 * a run), made by the very script compose's PostgreSQL runs on its first start, and the
 * "restart PostgreSQL" fault. The cluster is shared, so the restart is as short as PostgreSQL
 * allows (fast shutdown: sessions are cut, not waited for).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import type { Supervisor } from './cluster';
import type { ProofSite } from './topology';

const ROOT = path.resolve(__dirname, '..', '..');

/** The superuser connection the harness prepares and inspects the cluster with. */
export const ADMIN_URL =
  process.env.PROOF_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Drops the proof's databases and roles (a run that was killed may have left them). */
export async function dropProofDatabases(site: ProofSite): Promise<void> {
  const { appDb, temporalDb, visibilityDb, appUser, temporalUser } = site.names;
  await withAdmin(async (client) => {
    for (const db of [appDb, temporalDb, visibilityDb]) {
      await client.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    }
    for (const role of [appUser, temporalUser]) await client.query(`DROP ROLE IF EXISTS "${role}"`);
  });
}

/** Runs deploy/postgres/init-roles.sh, compose's first-start script, against the cluster. */
export async function createProofRoles(site: ProofSite, supervisor: Supervisor): Promise<void> {
  const url = new URL(ADMIN_URL);
  await supervisor.job({
    service: 'postgres',
    name: 'postgres-init-roles',
    command: ['sh', path.join(ROOT, 'deploy', 'postgres', 'init-roles.sh')],
    env: {
      PGHOST: url.hostname,
      PGPORT: url.port || '5432',
      POSTGRES_USER: decodeURIComponent(url.username) || 'postgres',
      POSTGRES_DB: url.pathname.slice(1) || 'postgres',
      GATEHOUSE_DB_USER: site.names.appUser,
      GATEHOUSE_DB_NAME: site.names.appDb,
      GATEHOUSE_DB_PASSWORD: site.passwords.app,
      TEMPORAL_DB_USER: site.names.temporalUser,
      TEMPORAL_DB_PASSWORD: site.passwords.temporal,
    },
  });
}

/**
 * How to restart the cluster: PROOF_PG_RESTART (a shell command), else Debian's pg_ctlcluster
 * on the cluster listening on the admin URL's port.
 */
export function restartCommand(): string[] {
  if (process.env.PROOF_PG_RESTART) return ['sh', '-c', process.env.PROOF_PG_RESTART];
  const port = new URL(ADMIN_URL).port || '5432';
  let clusters: string;
  try {
    clusters = execFileSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' });
  } catch (error) {
    throw new Error(
      `cannot find the PostgreSQL cluster to restart (pg_lsclusters: ${String(error)}); ` +
        'set PROOF_PG_RESTART to the command that restarts it',
    );
  }
  const line = clusters.split('\n').find((l) => l.split(/\s+/)[2] === port);
  if (!line) throw new Error(`no PostgreSQL cluster on port ${port} in pg_lsclusters`);
  const [version, name] = line.split(/\s+/);
  return ['pg_ctlcluster', '--skip-systemctl-redirect', '-m', 'fast', version!, name!, 'restart'];
}

export function restartPostgres(command: string[]): void {
  const [program, ...args] = command;
  execFileSync(program!, args, { stdio: 'ignore', timeout: 60_000 });
}
