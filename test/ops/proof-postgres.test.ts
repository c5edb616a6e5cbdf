/**
 * The proof's PostgreSQL of its own (scripts/proof/proof-postgres.ts): made from the machine's
 * binaries on a free port, roles logging in with their passwords only, a fast restart that cuts
 * sessions and accepts again, and nothing left behind. Nothing of the machine's shared cluster
 * is touched, so the proof may run beside the suite.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePorts } from '../../scripts/proof/ports';
import { proofPostgres, type ProofPostgres } from '../../scripts/proof/proof-postgres';

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return (await client.query<Record<string, unknown>>(sql)).rows;
  } finally {
    await client.end();
  }
}

let postgres: ProofPostgres | undefined;
afterEach(() => {
  postgres?.stop({ keep: false, logDir: mkdtempSync(path.join(tmpdir(), 'proof-pg-log-')) });
  postgres = undefined;
});

it('runs a cluster of its own: passwords checked, restarted fast, removed after', async () => {
  const [port] = await freePorts(22400, 1);
  delete process.env.PROOF_POSTGRES_URL;
  postgres = proofPostgres(port!);
  expect(postgres.port).toBe(port);
  expect(postgres.adminUrl).toBe(`postgres://postgres@127.0.0.1:${port}/postgres`);

  await query(postgres.adminUrl, `CREATE ROLE proof_app LOGIN PASSWORD 'right'`);
  const as = (password: string) => `postgres://proof_app:${password}@127.0.0.1:${port}/postgres`;
  await expect(query(as('right'), 'SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
  await expect(query(as('wrong'), 'SELECT 1')).rejects.toThrow(/password authentication failed/);

  // A session open across the restart is cut; the cluster answers again once restart returns.
  const open = new Client({ connectionString: postgres.adminUrl });
  await open.connect();
  const cut = new Promise<Error>((resolve) => open.once('error', resolve));
  postgres.restart();
  expect((await cut).message).toMatch(/terminat|shut ?down|Connection terminated/i);
  await open.end().catch(() => undefined);
  await expect(query(as('right'), 'SELECT 2 AS two')).resolves.toEqual([{ two: 2 }]);

  const dir = /data in (\S+)\)/.exec(postgres.describe)?.[1];
  expect(dir && existsSync(dir)).toBe(true);
  const logDir = mkdtempSync(path.join(tmpdir(), 'proof-pg-log-'));
  expect(postgres.stop({ keep: false, logDir })).toBeUndefined();
  postgres = undefined;
  expect(existsSync(dir!)).toBe(false);
  // Its server log is kept with the run's logs.
  expect(readFileSync(path.join(logDir, 'postgresql.log'), 'utf8')).toMatch(
    /database system is shut down/,
  );
  await expect(query(as('right'), 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
});
