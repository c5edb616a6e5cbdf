/**
 * The production compose file (SPEC §5), as Compose itself resolves it: supported Temporal
 * images with one-shot schema and namespace jobs (no auto-setup), an explicit shard count,
 * separate PostgreSQL roles for the app and Temporal, `gatehouse migrate` as a job the API and
 * workers wait for, health checks that mean something, metrics on unpublished ports, a
 * temporal-cloud profile that reaches no bundled Temporal service, an app image on the current
 * Node LTS, and no secret in the file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  COMPOSE_FILE,
  COMPOSE_SECRETS,
  PROJECT_ROOT,
  composeConfig,
  runCompose,
  type ComposeConfig,
  type ComposeService,
} from './compose-config';

const SECRETS = COMPOSE_SECRETS;
const APP = ['gatehouse-api', 'gatehouse-worker'];
const CLOUD = ['gatehouse-api-cloud', 'gatehouse-worker-cloud'];
const BUNDLED_TEMPORAL = ['temporal-schema', 'temporal', 'temporal-namespace', 'temporal-ui'];

let config: ComposeConfig;
beforeAll(() => {
  config = composeConfig(SECRETS);
});

function service(name: string): ComposeService & Record<string, unknown> {
  const found = config.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found as ComposeService & Record<string, unknown>;
}

/** `depends_on` as { service: condition }. */
function dependencies(name: string): Record<string, string | undefined> {
  const dependsOn = service(name).depends_on ?? {};
  if (Array.isArray(dependsOn)) return Object.fromEntries(dependsOn.map((s) => [s, undefined]));
  return Object.fromEntries(Object.entries(dependsOn).map(([s, d]) => [s, d.condition]));
}

/** Every service `name` needs started, directly or through others. */
function reaches(name: string, seen = new Set<string>()): Set<string> {
  for (const dependency of Object.keys(dependencies(name))) {
    if (!seen.has(dependency)) {
      seen.add(dependency);
      reaches(dependency, seen);
    }
  }
  return seen;
}

function healthcheck(name: string): string {
  const check = service(name).healthcheck;
  expect(check?.disable).not.toBe(true);
  const test = check?.test;
  return Array.isArray(test) ? test.join(' ') : (test ?? '');
}

const env = (name: string) => service(name).environment ?? {};

it('is valid for docker-compose with the three passwords set', () => {
  const result = runCompose(['config', '--quiet'], SECRETS);
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
});

it('refuses to start without any of the passwords: none is written in the file', () => {
  for (const missing of Object.keys(SECRETS)) {
    const { [missing as keyof typeof SECRETS]: _dropped, ...others } = SECRETS;
    const result = runCompose(['config', '--quiet'], others);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`set ${missing}`);
  }
  const text = readFileSync(COMPOSE_FILE, 'utf8');
  for (const name of Object.keys(SECRETS)) {
    for (const use of text.match(new RegExp(`\\$\\{${name}[^}]*\\}`, 'g')) ?? []) {
      expect(use).toMatch(new RegExp(`^\\$\\{${name}:\\?`));
    }
  }
});

it('has PostgreSQL, the Temporal jobs, server and UI, the migrate job, and the app', () => {
  expect(Object.keys(config.services).sort()).toEqual(
    ['postgres', ...BUNDLED_TEMPORAL, 'gatehouse-migrate', ...APP, ...CLOUD].sort(),
  );
  expect(Object.keys(config.volumes ?? {})).toEqual(['pgdata']);
  expect(healthcheck('postgres')).toContain('pg_isready');
});

it('runs Temporal on supported images: temporalio/server with admin-tools jobs of the same release', () => {
  const text = readFileSync(COMPOSE_FILE, 'utf8');
  expect(text).not.toContain('auto-setup');
  const server = /^temporalio\/server:(\d+\.\d+\.\d+)$/.exec(service('temporal').image ?? '');
  expect(server).not.toBeNull();
  const release = server![1]!;
  // A release of the current line: 1.32 or later (the line the proof builds, see proof-parity).
  const [, minor] = release.split('.').map(Number);
  expect(minor).toBeGreaterThanOrEqual(32);
  for (const job of ['temporal-schema', 'temporal-namespace']) {
    expect(service(job).image).toBe(`temporalio/admin-tools:${release}`);
    expect(service(job).restart).toBe('on-failure');
  }
  expect(service('temporal-schema').command).toEqual(['/deploy/temporal/setup-schema.sh']);
  expect(service('temporal-namespace').command).toEqual(['/deploy/temporal/create-namespace.sh']);
  expect(env('temporal')).toMatchObject({
    DB: 'postgres12',
    POSTGRES_SEEDS: 'postgres',
    DBNAME: 'temporal',
    VISIBILITY_DBNAME: 'temporal_visibility',
  });
  // The server image has no Temporal CLI: its check must not call one.
  expect(healthcheck('temporal')).not.toMatch(/\btemporal operator\b/);
  expect(service('temporal-ui').image).toMatch(/^temporalio\/ui:/);
});

it('sets the history shard count explicitly (it can never change) and documents it', () => {
  const shards = Number(env('temporal').NUM_HISTORY_SHARDS);
  expect(shards).toBe(512);
  expect(readFileSync(COMPOSE_FILE, 'utf8')).toMatch(
    /NUM_HISTORY_SHARDS: \$\{TEMPORAL_HISTORY_SHARDS:-512\}/,
  );
  const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  expect(readme).toMatch(/### History shards/);
  expect(readme).toContain('TEMPORAL_HISTORY_SHARDS');
});

it('gives the app and Temporal PostgreSQL roles of their own, neither the superuser', () => {
  const postgres = env('postgres');
  expect(postgres.POSTGRES_USER).toBe('postgres');
  const appUser = new URL(String(env('gatehouse-api').DATABASE_URL)).username;
  const temporalUser = env('temporal').POSTGRES_USER;
  expect(appUser).toBe('gatehouse');
  expect(temporalUser).toBe('temporal');
  expect(env('temporal-schema').SQL_USER).toBe(temporalUser);
  expect(postgres).toMatchObject({
    GATEHOUSE_DB_USER: appUser,
    TEMPORAL_DB_USER: temporalUser,
    GATEHOUSE_DB_PASSWORD: SECRETS.GATEHOUSE_DB_PASSWORD,
    TEMPORAL_DB_PASSWORD: SECRETS.TEMPORAL_DB_PASSWORD,
  });
  // The roles are made on the first start by the init script, mounted read-only.
  expect(service('postgres').volumes).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^pgdata:/),
      expect.stringMatching(
        /deploy\/postgres\/init-roles\.sh:\/docker-entrypoint-initdb\.d\/init-roles\.sh:ro$/,
      ),
    ]),
  );
  // Nobody but PostgreSQL itself holds the superuser's password.
  for (const [name, s] of Object.entries(config.services)) {
    if (name === 'postgres') continue;
    expect(JSON.stringify(s)).not.toContain(SECRETS.POSTGRES_PASSWORD);
  }
  for (const name of [...APP, ...CLOUD, 'gatehouse-migrate']) {
    expect(JSON.stringify(service(name))).not.toContain(SECRETS.TEMPORAL_DB_PASSWORD);
  }
});

it('migrates the app database in a one-shot job the API and the workers wait for', () => {
  expect(service('gatehouse-migrate').command).toEqual(['migrate']);
  expect(service('gatehouse-migrate').restart).toBe('on-failure');
  expect(dependencies('gatehouse-migrate')).toEqual({ postgres: 'service_healthy' });
  expect(env('gatehouse-migrate').DATABASE_URL).toBe(env('gatehouse-api').DATABASE_URL);
  for (const name of APP) {
    expect(dependencies(name)).toEqual({
      'gatehouse-migrate': 'service_completed_successfully',
      'temporal-namespace': 'service_completed_successfully',
    });
  }
  expect(dependencies('temporal-schema')).toEqual({ postgres: 'service_healthy' });
  expect(dependencies('temporal')).toEqual({ 'temporal-schema': 'service_completed_successfully' });
  expect(dependencies('temporal-namespace')).toEqual({ temporal: 'service_healthy' });
});

it('runs the API, the worker and the migration from one image built here', () => {
  const api = service('gatehouse-api');
  expect(api.build).toBeDefined();
  for (const name of ['gatehouse-worker', 'gatehouse-migrate', ...CLOUD]) {
    expect(service(name).image).toBe(api.image);
  }
  expect(api.command).toEqual(['api']);
  expect(service('gatehouse-worker').command).toEqual(['worker']);
  for (const name of APP) {
    expect(env(name).DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
    expect(env(name).TEMPORAL_ADDRESS).toBe('temporal:7233');
  }
});

it('checks health that means something: /readyz for the API, /healthz (Temporal reached) for a worker', () => {
  expect(healthcheck('gatehouse-api')).toContain('/readyz');
  expect(healthcheck('gatehouse-worker')).toContain('process.env.WORKER_METRICS_PORT');
  expect(healthcheck('gatehouse-worker')).toContain('/healthz');
  expect(Number(env('gatehouse-worker').WORKER_METRICS_PORT)).toBeGreaterThan(0);
});

it('keeps metrics on ports of their own, published nowhere; the worker scales', () => {
  expect(Number(env('gatehouse-api').API_METRICS_PORT)).toBe(9465);
  const published = (name: string) => JSON.stringify(service(name).ports ?? []);
  expect(published('gatehouse-api')).not.toContain('9465');
  expect(service('gatehouse-worker').ports ?? []).toEqual([]);
  for (const name of [...APP, ...CLOUD]) expect(service(name).container_name).toBeUndefined();
});

it('has a temporal-cloud profile whose services start no bundled Temporal service', () => {
  for (const name of CLOUD) {
    expect(service(name).profiles).toEqual(['temporal-cloud']);
    expect([...reaches(name)].sort()).toEqual(['gatehouse-migrate', 'postgres']);
    // The cluster's address and credentials come from the environment.
    expect(readFileSync(COMPOSE_FILE, 'utf8')).toContain('TEMPORAL_ADDRESS: ${TEMPORAL_ADDRESS:-}');
  }
  const cloud = composeConfig({
    ...SECRETS,
    TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233',
    TEMPORAL_API_KEY: 'key-from-env',
  });
  for (const name of CLOUD) {
    expect(cloud.services[name]?.environment).toMatchObject({
      TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233',
      TEMPORAL_API_KEY: 'key-from-env',
    });
  }
  // …while the bundled app services stay on the bundled server.
  expect(cloud.services['gatehouse-api']?.environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
  for (const name of [...APP, 'postgres', 'gatehouse-migrate', ...BUNDLED_TEMPORAL]) {
    expect(service(name).profiles).toBeUndefined();
  }
});

it('pins every image it pulls, and builds the app on the current Node LTS', () => {
  for (const [name, s] of Object.entries(config.services)) {
    if (s.build) continue;
    expect(`${name}: ${s.image}`).toMatch(/^[\w-]+: [\w./-]+:\d+\.\d+(\.\d+)?$/);
  }
  const dockerfile = readFileSync(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8');
  const node = /^ARG NODE_IMAGE=node:(\d+)\.\d+\.\d+-[\w-]+$/m.exec(dockerfile);
  expect(node).not.toBeNull();
  // The image runs the current LTS line (the Active LTS one): 26 since 2026-10-28, when 24 had
  // moved to Maintenance (2026-10-20). Due to change on 2027-10-20, when 26 moves to Maintenance
  // too (the release schedule, github.com/nodejs/Release, names the line that takes over).
  // test/ops/node-lts.test.ts runs the app on the exact version.
  expect(Number(node![1])).toBe(26);
});
