/**
 * `npm run proof` is a faithful stand-in for the compose stack: it starts the same services
 * (two APIs, three workers) with the same commands and the same variables, and its values
 * differ from docker-compose.yml's only where the proof's topology says why (hosts, ports,
 * names, passwords, receivers). The Temporal server it builds is the release the compose
 * images run.
 */
import path from 'node:path';
import { TEMPORAL_RELEASE } from '../../scripts/proof/tools';
import {
  ADDED,
  HOST_SPECIFIC,
  PROOF_NAMES,
  topology,
  type ProcessSpec,
  type ProofSite,
} from '../../scripts/proof/topology';
import {
  COMPOSE_SECRETS,
  COMPOSE_TLS_FILE,
  PROJECT_ROOT,
  composeConfig,
  type ComposeConfig,
} from './compose-config';

const site: ProofSite = {
  adminUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  pgHost: '127.0.0.1',
  pgPort: 5432,
  names: PROOF_NAMES,
  passwords: { app: 'a', temporal: 't' },
  temporalPorts: [21233, 21243, 21234, 21235, 21239, 21933, 21934, 21935, 21939],
  api: [
    { port: 21080, metricsPort: 21465 },
    { port: 21081, metricsPort: 21466 },
  ],
  workerMetricsPorts: [21464, 21467, 21468],
  webhookUrl: 'http://127.0.0.1:21999/hook',
  webhookSecret: `whsec_${'s'.repeat(32)}`,
  smtpUrl: 'smtp://127.0.0.1:21998',
  adminToken: `gh_${'p'.repeat(30)}`,
  dataDir: '/proof/data',
  toolsPath: '/tools',
  certsDir: '/proof/certs',
};

let compose: ComposeConfig;
let specs: ReturnType<typeof topology>;
beforeAll(() => {
  // The proof runs the bundled Temporal server over mTLS: compose's file with its TLS overlay.
  compose = composeConfig(COMPOSE_SECRETS, [COMPOSE_TLS_FILE]);
  specs = topology(site);
});

function all(): ProcessSpec[] {
  return [
    specs.temporalSchema,
    specs.temporal,
    specs.temporalNamespace,
    specs.migrate,
    ...specs.apis,
    ...specs.workers,
  ];
}

it('starts every compose service but PostgreSQL (the local cluster) and the UI: 2 APIs, 3 workers', () => {
  const services = all().map((s) => s.service);
  expect([...new Set(services)].sort()).toEqual(
    Object.keys(compose.services)
      .filter((name) => !['postgres', 'temporal-ui'].includes(name))
      .filter((name) => compose.services[name]!.profiles === undefined)
      .sort(),
  );
  expect(services.filter((s) => s === 'gatehouse-api')).toHaveLength(2);
  expect(services.filter((s) => s === 'gatehouse-worker')).toHaveLength(3);
});

it('gives each process the variables of its compose service, with the same values but where it says why', () => {
  for (const spec of all()) {
    const expected = compose.services[spec.service]?.environment ?? {};
    const added = ADDED[spec.service] ?? [];
    const own = Object.keys(spec.env).filter((name) => !added.includes(name));
    expect({ service: spec.name, variables: own.sort() }).toEqual({
      service: spec.name,
      variables: Object.keys(expected).sort(),
    });
    const allowed = HOST_SPECIFIC[spec.service] ?? {};
    const differing = Object.keys(expected).filter(
      (name) => !(name in allowed) && String(expected[name] ?? '') !== spec.env[name],
    );
    expect({ service: spec.name, differing }).toEqual({ service: spec.name, differing: [] });
    // Every allowed difference names a variable compose really sets (no stale excuses).
    for (const name of Object.keys(allowed)) expect(Object.keys(expected)).toContain(name);
  }
});

it('runs the same commands: the image entry point for the app, the mounted scripts for the jobs', () => {
  const entry = path.join(PROJECT_ROOT, 'scripts', 'container-entry.sh');
  for (const spec of [specs.migrate, ...specs.apis, ...specs.workers]) {
    expect(spec.command).toEqual([
      'sh',
      entry,
      ...(compose.services[spec.service]!.command as string[]),
    ]);
  }
  for (const spec of [specs.temporalSchema, specs.temporalNamespace]) {
    const service = compose.services[spec.service]!;
    expect(service.entrypoint).toEqual(['sh']);
    const [script] = service.command as string[];
    // Compose mounts ./deploy/temporal at /deploy/temporal: the same file.
    expect(spec.command).toEqual(['sh', path.join(PROJECT_ROOT, script!.replace(/^\//, ''))]);
    expect(JSON.stringify(service.volumes)).toContain('deploy/temporal:/deploy/temporal:ro');
  }
  // The server image's entry point is `temporal-server start`, with its embedded config.
  expect(specs.temporal.command).toEqual([path.join(site.toolsPath, 'temporal-server'), 'start']);
});

it('builds the Temporal release the compose images run', () => {
  expect(compose.services.temporal?.image).toBe(`temporalio/server:${TEMPORAL_RELEASE}`);
  expect(compose.services['temporal-schema']?.image).toBe(
    `temporalio/admin-tools:${TEMPORAL_RELEASE}`,
  );
});

it("gives each process the certificate files compose mounts into its service, by the same names (never the CA's key)", () => {
  const targets = (service: string) =>
    (compose.services[service]?.volumes ?? []).map((volume) =>
      typeof volume === 'string' ? volume.split(':')[1] : (volume as { target: string }).target,
    );
  let files = 0;
  for (const spec of all()) {
    const mounted = targets(spec.service);
    expect(mounted.filter((target) => target?.endsWith('ca.key'))).toEqual([]);
    for (const [name, value] of Object.entries(spec.env)) {
      if (!value.startsWith(`${site.certsDir}/`)) continue;
      const inCompose = String(compose.services[spec.service]?.environment?.[name]);
      expect({ name, file: path.basename(inCompose) }).toEqual({
        name,
        file: path.basename(value),
      });
      expect(mounted).toContain(inCompose);
      files += 1;
    }
  }
  // The server's six, and three for each client (the namespace job, 2 APIs, 3 workers).
  expect(files).toBe(6 + 3 * 6);
});
