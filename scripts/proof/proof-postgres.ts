/**
 * The proof's PostgreSQL: a cluster of its own, made with the machine's PostgreSQL binaries
 * (initdb, pg_ctl) in a temporary folder and removed after the run, as compose's `postgres`
 * service is a server of the stack's own. Its restart (the "restart PostgreSQL" fault) and its
 * fixed database names then touch nothing else on the machine, so the proof can run beside
 * other work, the test suite included. The app's and Temporal's roles log in with their
 * passwords (scram-sha-256, as the postgres image sets up), the superuser over loopback without.
 * Its other settings are PostgreSQL's defaults, as in the image (100 connections: the budget
 * README's "Connection budget" section sets out).
 *
 * `PROOF_POSTGRES_URL` (a superuser URL) runs the proof on an existing cluster instead, as
 * before: its roles and databases are dropped and made again, and the restart is
 * `PROOF_PG_RESTART` or Debian's pg_ctlcluster on the cluster of that URL's port.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ProofPostgres {
  /** The superuser connection the harness prepares and inspects the cluster with. */
  adminUrl: string;
  host: string;
  port: number;
  /** Describes the cluster in one line for the log. */
  describe: string;
  /** The fault: a fast restart (sessions cut, not waited for); returns once it accepts again. */
  restart(): void;
  /** Stops and removes a cluster of the proof's own (kept with `keep`, and said where). */
  stop(options: { keep: boolean; logDir: string }): string | undefined;
}

const SUPERUSER = 'postgres';
/** initdb refuses to run as root: as root, the cluster runs as this system user. */
const SYSTEM_USER = 'postgres';

/** The cluster the proof runs on: `PROOF_POSTGRES_URL`'s, else one of its own on `port`. */
export function proofPostgres(port: number): ProofPostgres {
  const external = process.env.PROOF_POSTGRES_URL;
  return external ? existingCluster(external) : ownCluster(port);
}

function ownCluster(port: number): ProofPostgres {
  const bin = postgresBinaries();
  const asOwner = ownerCommand();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-proof-pg-'));
  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgresql.log');
  if (asOwner.uid !== undefined) execFileSync('chown', [`${asOwner.uid}:${asOwner.gid}`, dir]);
  const run = (program: string, args: string[]) => {
    const [command, ...rest] = [...asOwner.prefix, program, ...args];
    execFileSync(command!, rest, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  };
  run(path.join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    SUPERUSER,
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    '--encoding=UTF8',
    '--locale=C',
  ]);
  // Loopback: the superuser (the harness) without a password, every other role with its own.
  writeFileSync(
    path.join(data, 'pg_hba.conf'),
    [
      'local all all trust',
      `host all ${SUPERUSER} 127.0.0.1/32 trust`,
      'host all all 127.0.0.1/32 scram-sha-256',
      '',
    ].join('\n'),
  );
  const settings = [
    `-c port=${port}`,
    "-c listen_addresses='127.0.0.1'",
    `-c unix_socket_directories='${dir}'`,
  ].join(' ');
  const pgCtl = (...args: string[]) =>
    run(path.join(bin, 'pg_ctl'), [
      '-D',
      data,
      '-l',
      logFile,
      '-o',
      settings,
      '-w',
      '-t',
      '60',
      ...args,
    ]);
  pgCtl('start');
  return {
    adminUrl: `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`,
    host: '127.0.0.1',
    port,
    describe: `a cluster of its own on port ${port} (${bin}, data in ${dir})`,
    restart: () => pgCtl('-m', 'fast', 'restart'),
    stop({ keep, logDir }) {
      try {
        pgCtl('-m', 'fast', 'stop');
      } finally {
        if (existsSync(logFile)) copyFileSync(logFile, path.join(logDir, 'postgresql.log'));
        if (!keep) rmSync(dir, { recursive: true, force: true });
      }
      return keep ? dir : undefined;
    },
  };
}

/** The machine's PostgreSQL programs: PROOF_PG_BINDIR, Debian's newest, else from PATH. */
function postgresBinaries(): string {
  if (process.env.PROOF_PG_BINDIR) return process.env.PROOF_PG_BINDIR;
  const debian = '/usr/lib/postgresql';
  const versions = existsSync(debian)
    ? readdirSync(debian)
        .filter((v) => existsSync(path.join(debian, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0]) return path.join(debian, versions[0], 'bin');
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      'cannot find PostgreSQL’s initdb (install PostgreSQL, set PROOF_PG_BINDIR to its bin ' +
        'folder, or set PROOF_POSTGRES_URL to run the proof on an existing cluster)',
    );
  }
}

/** How to run PostgreSQL's programs: as the `postgres` system user when this process is root. */
function ownerCommand(): { prefix: string[]; uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return { prefix: [] };
  let ids: string[];
  try {
    ids = ['-u', '-g'].map((flag) =>
      execFileSync('id', [flag, SYSTEM_USER], { encoding: 'utf8' }).trim(),
    );
  } catch {
    throw new Error(
      `the proof runs as root, and initdb refuses root: it needs a "${SYSTEM_USER}" system user ` +
        'to run its PostgreSQL as (or set PROOF_POSTGRES_URL to use an existing cluster)',
    );
  }
  return { prefix: ['runuser', '-u', SYSTEM_USER, '--'], uid: Number(ids[0]), gid: Number(ids[1]) };
}

/** An existing cluster (PROOF_POSTGRES_URL): shared, so nothing is made or removed but the proof's own. */
function existingCluster(adminUrl: string): ProofPostgres {
  const url = new URL(adminUrl);
  const port = Number(url.port || 5432);
  const command = restartCommand(port);
  return {
    adminUrl,
    host: url.hostname,
    port,
    describe: `the existing cluster of PROOF_POSTGRES_URL (port ${port}; its other users' sessions are cut by the restart)`,
    restart: () => {
      const [program, ...args] = command;
      execFileSync(program!, args, { stdio: 'ignore', timeout: 60_000 });
    },
    stop: () => undefined,
  };
}

/**
 * How to restart an existing cluster: PROOF_PG_RESTART (a shell command), else Debian's
 * pg_ctlcluster on the cluster listening on `port`.
 */
function restartCommand(port: number): string[] {
  if (process.env.PROOF_PG_RESTART) return ['sh', '-c', process.env.PROOF_PG_RESTART];
  let clusters: string;
  try {
    clusters = execFileSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' });
  } catch (error) {
    throw new Error(
      `cannot find the PostgreSQL cluster to restart (pg_lsclusters: ${String(error)}); ` +
        'set PROOF_PG_RESTART to the command that restarts it',
    );
  }
  const line = clusters.split('\n').find((l) => l.split(/\s+/)[2] === String(port));
  if (!line) throw new Error(`no PostgreSQL cluster on port ${port} in pg_lsclusters`);
  const [version, name] = line.split(/\s+/);
  return ['pg_ctlcluster', '--skip-systemctl-redirect', '-m', 'fast', version!, name!, 'restart'];
}
