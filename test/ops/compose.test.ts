/**
 * The production compose file (SPEC §5): valid for Compose, the five services wired with health
 * checks and start-up conditions, the worker scalable, no secret in the file.
 */
import { readFileSync } from 'node:fs';
import {
  COMPOSE_FILE,
  composeConfig,
  runCompose,
  type ComposeConfig,
  type ComposeService,
} from './compose-config';

const ENV = { POSTGRES_PASSWORD: 'compose-test-password' };
const APP_SERVICES = ['gatehouse-api', 'gatehouse-worker'];

let config: ComposeConfig;
beforeAll(() => {
  config = composeConfig(ENV);
});

function service(name: string): ComposeService {
  const found = config.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/** `depends_on` as { service: condition }. */
function dependencies(name: string): Record<string, string | undefined> {
  const dependsOn = service(name).depends_on ?? {};
  if (Array.isArray(dependsOn)) return Object.fromEntries(dependsOn.map((s) => [s, undefined]));
  return Object.fromEntries(Object.entries(dependsOn).map(([s, d]) => [s, d.condition]));
}

function healthcheck(name: string): string {
  const check = service(name).healthcheck;
  expect(check?.disable).not.toBe(true);
  const test = check?.test;
  return Array.isArray(test) ? test.join(' ') : (test ?? '');
}

it('is valid for docker-compose with POSTGRES_PASSWORD set', () => {
  const result = runCompose(['config', '--quiet'], ENV);
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
});

it('refuses to start without POSTGRES_PASSWORD: no password is written in the file', () => {
  const result = runCompose(['config', '--quiet'], {});
  expect(result.status).not.toBe(0);
  expect(result.stderr).toContain('set POSTGRES_PASSWORD');
  const text = readFileSync(COMPOSE_FILE, 'utf8');
  for (const use of text.match(/\$\{POSTGRES_PASSWORD[^}]*\}/g) ?? []) {
    expect(use).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
  }
});

it('has PostgreSQL, Temporal on it, the Temporal UI, and the API and worker', () => {
  expect(Object.keys(config.services).sort()).toEqual([
    'gatehouse-api',
    'gatehouse-worker',
    'postgres',
    'temporal',
    'temporal-ui',
  ]);
  expect(service('postgres').volumes).toEqual([expect.stringMatching(/^pgdata:/)]);
  expect(Object.keys(config.volumes ?? {})).toEqual(['pgdata']);
  expect(healthcheck('postgres')).toContain('pg_isready');
  expect(service('temporal').image).toMatch(/^temporalio\/auto-setup:/);
  expect(service('temporal').environment).toMatchObject({
    DB: 'postgres12',
    POSTGRES_SEEDS: 'postgres',
    POSTGRES_PWD: ENV.POSTGRES_PASSWORD,
  });
  expect(healthcheck('temporal')).toMatch(/^CMD temporal operator /);
  expect(service('temporal-ui').image).toMatch(/^temporalio\/ui:/);
  expect(service('temporal-ui').environment).toMatchObject({ TEMPORAL_ADDRESS: 'temporal:7233' });
});

it('pins every image it pulls', () => {
  for (const [name, s] of Object.entries(config.services)) {
    if (s.build) continue;
    expect(`${name}: ${s.image}`).toMatch(/^[\w-]+: [\w./-]+:\d+\.\d+(\.\d+)?$/);
  }
});

it('runs the API and the worker from one image built here, with different commands', () => {
  const [api, worker] = APP_SERVICES.map(service);
  expect(api!.build).toBeDefined();
  expect(worker!.image).toBe(api!.image);
  expect(api!.command).toEqual(['api']);
  expect(worker!.command).toEqual(['worker']);
  for (const s of [api!, worker!]) {
    expect(s.environment?.DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
    expect(s.environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
  }
});

it('lets the worker scale: no container_name, no host port', () => {
  for (const name of APP_SERVICES) expect(service(name).container_name).toBeUndefined();
  expect(service('gatehouse-worker').ports ?? []).toEqual([]);
});

it('checks the health of every app service and starts it once its dependencies are healthy', () => {
  expect(healthcheck('gatehouse-api')).toContain('/readyz');
  expect(healthcheck('gatehouse-worker')).toContain('worker/main.ts');
  for (const name of APP_SERVICES) {
    expect(dependencies(name)).toEqual({
      postgres: 'service_healthy',
      temporal: 'service_healthy',
    });
  }
  expect(dependencies('temporal')).toEqual({ postgres: 'service_healthy' });
  expect(dependencies('temporal-ui')).toEqual({ temporal: 'service_healthy' });
});
