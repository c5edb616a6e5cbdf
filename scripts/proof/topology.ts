/**
 * What `npm run proof` runs: the services of docker-compose.yml, one process each (two APIs,
 * three workers), with the commands and the environment compose gives them. The only
 * differences are the ones a shared machine forces (hosts, ports, database and role names,
 * passwords, the notification receivers), each listed in HOST_SPECIFIC with its reason;
 * test/ops/proof-parity.test.ts fails when anything else differs, so the proof stays a faithful
 * stand-in for the compose stack.
 */
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** A process the proof starts, named after the compose service it stands for. */
export interface ProcessSpec {
  service: string;
  /** `gatehouse-api-1`, …: the instance's name in logs. */
  name: string;
  /** The program and its arguments (run from the repository root unless `cwd`). */
  command: string[];
  env: Record<string, string>;
}

/** The proof's own roles and databases (on its own cluster, or on PROOF_POSTGRES_URL's). */
export const PROOF_NAMES = {
  appUser: 'gatehouse_proof',
  appDb: 'gatehouse_proof',
  temporalUser: 'temporal_proof',
  temporalDb: 'temporal_proof',
  visibilityDb: 'temporal_proof_visibility',
} as const;

/** The values the proof picks for itself. */
export interface ProofSite {
  /** The superuser connection to the proof's PostgreSQL (./proof-postgres.ts). */
  adminUrl: string;
  pgHost: string;
  pgPort: number;
  names: {
    appUser: string;
    appDb: string;
    temporalUser: string;
    temporalDb: string;
    visibilityDb: string;
  };
  passwords: { app: string; temporal: string };
  /** The Temporal server's ports: gRPC, HTTP, then history, matching, worker (+ membership). */
  temporalPorts: number[];
  api: { port: number; metricsPort: number }[];
  workerMetricsPorts: number[];
  webhookUrl: string;
  /** The workers sign each webhook with it; the checks verify every signature that arrived. */
  webhookSecret: string;
  smtpUrl: string;
  adminToken: string;
  /** The APIs' data folder (the image's /app/data): where a first admin token would go. */
  dataDir: string;
  /** Where the Temporal tools are (put first on PATH for the shared scripts). */
  toolsPath: string;
  /**
   * The certificates deploy/temporal/make-certs.sh made (compose's ./certs, mounted at
   * /certs): the Temporal server serves mTLS, as docker-compose.tls.yml has it.
   */
  certsDir: string;
}

const CERTS_REASON =
  "the proof's own certificates, made at its start (compose mounts ./certs at /certs)";
/** Temporal's standard client variables for the mTLS files (compose's x-temporal-tls-client). */
const TLS_CLIENT_FILES = [
  'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
  'TEMPORAL_TLS_CLIENT_CERT_PATH',
  'TEMPORAL_TLS_CLIENT_KEY_PATH',
] as const;
const tlsClientReasons = Object.fromEntries(TLS_CLIENT_FILES.map((name) => [name, CERTS_REASON]));

/**
 * Variables the proof sets to other values than compose, per service, and why. Anything not
 * listed here must be equal (the parity test), and no variable may be added or dropped unless
 * listed in ADDED.
 */
export const HOST_SPECIFIC: Record<string, Record<string, string>> = {
  'temporal-schema': {
    SQL_HOST: "the proof's own cluster on loopback, not the compose network",
    SQL_PORT: "the proof's own cluster, on a free port",
    SQL_USER: 'a proof-only role (PROOF_POSTGRES_URL may be a shared cluster)',
    SQL_PASSWORD: 'a password of its own',
    TEMPORAL_DB: 'proof-only database names (PROOF_POSTGRES_URL may be a shared cluster)',
    TEMPORAL_VISIBILITY_DB:
      'proof-only database names (PROOF_POSTGRES_URL may be a shared cluster)',
  },
  temporal: {
    POSTGRES_SEEDS: "the proof's own cluster on loopback",
    DB_PORT: "the proof's own cluster, on a free port",
    POSTGRES_USER: 'the proof-only role',
    POSTGRES_PWD: 'a password of its own',
    DBNAME: 'proof-only database names',
    VISIBILITY_DBNAME: 'proof-only database names',
    BIND_ON_IP: 'loopback: one host, no container network',
    DYNAMIC_CONFIG_FILE_PATH: 'the same file, at its path in the repository',
    TEMPORAL_TLS_FRONTEND_CERT: CERTS_REASON,
    TEMPORAL_TLS_FRONTEND_KEY: CERTS_REASON,
    TEMPORAL_TLS_CLIENT1_CA_CERT: CERTS_REASON,
    TEMPORAL_TLS_SERVER_CERT: CERTS_REASON,
    TEMPORAL_TLS_SERVER_KEY: CERTS_REASON,
    TEMPORAL_TLS_SERVER_CA_CERT: CERTS_REASON,
  },
  'temporal-namespace': { TEMPORAL_ADDRESS: 'the local server', ...tlsClientReasons },
  'gatehouse-migrate': {
    DATABASE_URL: "the proof-only role and database on the proof's own cluster",
  },
  'gatehouse-api': {
    DATABASE_URL: "the proof-only role and database on the proof's own cluster",
    TEMPORAL_ADDRESS: 'the local server',
    ...tlsClientReasons,
    PORT: 'two APIs on one host: a port each',
    HOST: 'loopback',
    API_METRICS_PORT: 'two APIs on one host: a port each',
    GATEHOUSE_STATIC_DIR: 'the proof drives the API only (no designer build needed)',
    GATEHOUSE_ADMIN_TOKEN: 'the harness creates its users with it',
    GATEHOUSE_ADMIN_TOKEN_FILE: "the image's /app/data is the proof's own data folder",
    GATEHOUSE_PUBLIC_URL: 'the first API on this host (no proxy in front)',
  },
  'gatehouse-worker': {
    DATABASE_URL: "the proof-only role and database on the proof's own cluster",
    TEMPORAL_ADDRESS: 'the local server',
    ...tlsClientReasons,
    WORKER_METRICS_PORT: 'three workers on one host: a port each',
    WEBHOOK_URL: "the proof's own webhook receiver",
    WEBHOOK_SECRET: "the proof's receiver verifies every webhook's signature",
    SMTP_URL: "the proof's own SMTP receiver",
    GATEHOUSE_PUBLIC_URL: 'the first API on this host (no proxy in front)',
  },
};

/** Variables only the proof sets: a container has these ports to itself. */
export const ADDED: Record<string, string[]> = {
  temporal: [
    'FRONTEND_GRPC_PORT',
    'FRONTEND_HTTP_PORT',
    'HISTORY_GRPC_PORT',
    'MATCHING_GRPC_PORT',
    'WORKER_GRPC_PORT',
    'FRONTEND_MEMBERSHIP_PORT',
    'HISTORY_MEMBERSHIP_PORT',
    'MATCHING_MEMBERSHIP_PORT',
    'WORKER_MEMBERSHIP_PORT',
    'PPROF_PORT',
  ],
};

/** The app's shared settings (compose's x-gatehouse-env), for the bundled Temporal. */
function appEnv(site: ProofSite): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl(site),
    DATABASE_POOL_SIZE: '6',
    DATABASE_WAIT: '60s',
    TEMPORAL_ADDRESS: temporalAddress(site),
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: 'gatehouse',
    TEMPORAL_CONFIG_FILE: '',
    TEMPORAL_PROFILE: '',
    TEMPORAL_TLS_CLIENT_CERT_DATA: '',
    TEMPORAL_TLS_CLIENT_KEY_DATA: '',
    TEMPORAL_TLS_SERVER_CA_CERT_DATA: '',
    ...tlsClientEnv(site),
    TEMPORAL_TLS_CERT: '',
    TEMPORAL_TLS_KEY: '',
    TEMPORAL_TLS_CA: '',
    TEMPORAL_TLS_SERVER_NAME: '',
    TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: '',
    TEMPORAL_API_KEY: '',
    LOG_LEVEL: 'info',
    GATEHOUSE_PUBLIC_URL: `http://127.0.0.1:${site.api[0]!.port}`,
  };
}

/**
 * The API's settings (compose's x-api-env) but for its address, ports and admin token: every
 * security setting at compose's value, so the chaos run meets the limits production has.
 */
function apiEnv(site: ProofSite, port: number, metricsPort: number): Record<string, string> {
  return {
    PORT: String(port),
    HOST: '127.0.0.1',
    API_METRICS_PORT: String(metricsPort),
    GATEHOUSE_STATIC_DIR: '',
    GATEHOUSE_ADMIN_TOKEN: site.adminToken,
    OIDC_ISSUER: '',
    OIDC_AUDIENCE: '',
    OIDC_JWKS_URL: '',
    OIDC_CLIENT_ID: '',
    OIDC_CLIENT_SECRET: '',
    OIDC_ALGORITHMS: 'RS256,ES256',
    OIDC_CLOCK_SKEW: '60s',
    OIDC_EMAIL_DOMAINS: '',
    OIDC_JIT: 'false',
    OIDC_ROLES_CLAIM: '',
    OIDC_PMO_ROLE: 'gatehouse-pmo',
    OIDC_ADMIN_ROLE: 'gatehouse-admin',
    GATEHOUSE_ALLOWED_HOSTS: '',
    GATEHOUSE_ADMIN_TOKEN_FILE: path.join(site.dataDir, 'admin-token'),
    TRUST_PROXY: '',
    HSTS_MAX_AGE: '365d',
    TOKEN_LIFETIME: '90d',
    SESSION_IDLE_TIMEOUT: '30m',
    SESSION_MAX_AGE: '12h',
    RATE_LIMIT_PER_ADDRESS: '600/1m',
    RATE_LIMIT_PER_USER: '300/1m',
    AUTH_FAILURE_LIMIT: '10/15m',
    EVENT_STREAMS_PER_USER: '10',
    BODY_LIMIT: '256kb',
    ACTION_TIMEOUT: '10s',
    TEMPORAL_UI_URL: 'http://localhost:8233',
  };
}

/** How an operator points a client at the mTLS frontend (compose's x-temporal-tls-client). */
export function tlsClientEnv(site: ProofSite): Record<string, string> {
  return {
    TEMPORAL_TLS: 'true',
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: path.join(site.certsDir, 'ca.pem'),
    TEMPORAL_TLS_CLIENT_CERT_PATH: path.join(site.certsDir, 'client.pem'),
    TEMPORAL_TLS_CLIENT_KEY_PATH: path.join(site.certsDir, 'client.key'),
  };
}

export function databaseUrl(site: ProofSite): string {
  const { appUser, appDb } = site.names;
  return `postgres://${appUser}:${site.passwords.app}@${site.pgHost}:${site.pgPort}/${appDb}`;
}

export function temporalAddress(site: ProofSite): string {
  return `127.0.0.1:${site.temporalPorts[0]}`;
}

const entry = (command: string) => [
  'sh',
  path.join(ROOT, 'scripts', 'container-entry.sh'),
  command,
];

/** Every process of the proof, in compose's start order. */
export function topology(site: ProofSite) {
  const [grpc, http, history, matching, worker, ...membership] = site.temporalPorts;
  /** Not a compose service: an operator runs it once before `up` (docker-compose.tls.yml). */
  const makeCerts: ProcessSpec = {
    service: 'make-certs',
    name: 'make-certs',
    command: ['sh', path.join(ROOT, 'deploy', 'temporal', 'make-certs.sh'), site.certsDir],
    env: {},
  };
  /** The Dockerfile's step: the workflow bundle the workers load instead of bundling. */
  const workflowsBundle: ProcessSpec = {
    service: 'image-build',
    name: 'workflows-bundle',
    command: ['node', '--import', 'tsx', path.join(ROOT, 'scripts', 'bundle-workflows.ts')],
    env: {},
  };
  const temporalSchema: ProcessSpec = {
    service: 'temporal-schema',
    name: 'temporal-schema',
    command: ['sh', path.join(ROOT, 'deploy', 'temporal', 'setup-schema.sh')],
    env: {
      SQL_PLUGIN: 'postgres12',
      SQL_HOST: site.pgHost,
      SQL_PORT: String(site.pgPort),
      SQL_USER: site.names.temporalUser,
      SQL_PASSWORD: site.passwords.temporal,
      TEMPORAL_DB: site.names.temporalDb,
      TEMPORAL_VISIBILITY_DB: site.names.visibilityDb,
    },
  };
  const temporal: ProcessSpec = {
    service: 'temporal',
    name: 'temporal',
    command: [path.join(site.toolsPath, 'temporal-server'), 'start'],
    env: {
      DB: 'postgres12',
      DB_PORT: String(site.pgPort),
      POSTGRES_SEEDS: site.pgHost,
      POSTGRES_USER: site.names.temporalUser,
      POSTGRES_PWD: site.passwords.temporal,
      DBNAME: site.names.temporalDb,
      VISIBILITY_DBNAME: site.names.visibilityDb,
      NUM_HISTORY_SHARDS: '512',
      SQL_MAX_CONNS: '8',
      SQL_VIS_MAX_CONNS: '3',
      BIND_ON_IP: '127.0.0.1',
      DYNAMIC_CONFIG_FILE_PATH: path.join(ROOT, 'deploy', 'temporal', 'dynamicconfig.yaml'),
      LOG_LEVEL: 'warn',
      FRONTEND_GRPC_PORT: String(grpc),
      FRONTEND_HTTP_PORT: String(http),
      HISTORY_GRPC_PORT: String(history),
      MATCHING_GRPC_PORT: String(matching),
      WORKER_GRPC_PORT: String(worker),
      FRONTEND_MEMBERSHIP_PORT: String(membership[0]),
      HISTORY_MEMBERSHIP_PORT: String(membership[1]),
      MATCHING_MEMBERSHIP_PORT: String(membership[2]),
      WORKER_MEMBERSHIP_PORT: String(membership[3]),
      PPROF_PORT: '0',
      // docker-compose.tls.yml's: the frontend and the services' own traffic over mTLS.
      TEMPORAL_TLS_REQUIRE_CLIENT_AUTH: 'true',
      TEMPORAL_TLS_FRONTEND_CERT: path.join(site.certsDir, 'server.pem'),
      TEMPORAL_TLS_FRONTEND_KEY: path.join(site.certsDir, 'server.key'),
      TEMPORAL_TLS_CLIENT1_CA_CERT: path.join(site.certsDir, 'ca.pem'),
      TEMPORAL_TLS_SERVER_CERT: path.join(site.certsDir, 'server.pem'),
      TEMPORAL_TLS_SERVER_KEY: path.join(site.certsDir, 'server.key'),
      TEMPORAL_TLS_SERVER_CA_CERT: path.join(site.certsDir, 'ca.pem'),
      TEMPORAL_TLS_INTERNODE_SERVER_NAME: 'temporal',
      TEMPORAL_TLS_FRONTEND_SERVER_NAME: 'temporal',
    },
  };
  const temporalNamespace: ProcessSpec = {
    service: 'temporal-namespace',
    name: 'temporal-namespace',
    command: ['sh', path.join(ROOT, 'deploy', 'temporal', 'create-namespace.sh')],
    env: {
      TEMPORAL_ADDRESS: temporalAddress(site),
      NAMESPACE: 'default',
      RETENTION: '720h',
      ...tlsClientEnv(site),
    },
  };
  const migrate: ProcessSpec = {
    service: 'gatehouse-migrate',
    name: 'gatehouse-migrate',
    command: entry('migrate'),
    env: { DATABASE_URL: databaseUrl(site) },
  };
  const apis: ProcessSpec[] = site.api.map(({ port, metricsPort }, i) => ({
    service: 'gatehouse-api',
    name: `gatehouse-api-${i + 1}`,
    command: entry('api'),
    env: { ...appEnv(site), ...apiEnv(site, port, metricsPort) },
  }));
  const workers: ProcessSpec[] = site.workerMetricsPorts.map((metricsPort, i) => ({
    service: 'gatehouse-worker',
    name: `gatehouse-worker-${i + 1}`,
    command: entry('worker'),
    env: {
      ...appEnv(site),
      WEBHOOK_URL: site.webhookUrl,
      WEBHOOK_FORMAT: 'slack',
      WEBHOOK_SECRET: site.webhookSecret,
      SMTP_URL: site.smtpUrl,
      MAIL_FROM: 'Gatehouse <gatehouse@localhost>',
      WORKER_METRICS_PORT: String(metricsPort),
      // As compose leaves it: blank, the SDK's default cache size.
      WORKER_CACHED_WORKFLOWS: '',
      // As compose leaves it: blank, the image's bundle (the workflows-bundle job's).
      WORKFLOW_BUNDLE_DIR: '',
    },
  }));
  return {
    makeCerts,
    workflowsBundle,
    temporalSchema,
    temporal,
    temporalNamespace,
    migrate,
    apis,
    workers,
  };
}
