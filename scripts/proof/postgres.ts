/**
 * The proof's roles and databases on its PostgreSQL (./proof-postgres.ts), made by the very
 * script compose's PostgreSQL runs on its first start, and removed before a run (a run that was
 * killed may have left them on an existing cluster) and after it.
 */
import path from 'node:path';
import { Client } from 'pg';
import type { Supervisor } from './cluster';
import type { ProofSite } from './topology';

const ROOT = path.resolve(__dirname, '..', '..');

/** Runs `work` on the cluster's superuser connection (`site.adminUrl`). */
export async function withAdmin<T>(
  site: ProofSite,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({ connectionString: site.adminUrl, connectionTimeoutMillis: 10_000 });
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
  await withAdmin(site, async (client) => {
    for (const db of [appDb, temporalDb, visibilityDb]) {
      await client.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    }
    for (const role of [appUser, temporalUser]) await client.query(`DROP ROLE IF EXISTS "${role}"`);
  });
}

/** Runs deploy/postgres/init-roles.sh, compose's first-start script, against the cluster. */
export async function createProofRoles(site: ProofSite, supervisor: Supervisor): Promise<void> {
  const url = new URL(site.adminUrl);
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
