/**
 * config/: every variable of every process, wrong or missing, stops start-up with its one line
 * (never echoing a secret); the Temporal TLS rules; the connection options; the defaults.
 * Temporal's profile file and the standard names beside the older ones: temporal-profile.test.ts.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TLSConfig } from '@temporalio/client';
import type { z } from 'zod';
import {
  ApiEnv,
  ConfigError,
  StartEnv,
  WorkerEnv,
  loadApiConfig,
  loadStartConfig,
  loadWorkerConfig,
  temporalConnectionOptions,
} from '../../config';
import { limitsFromConfig, securityFromConfig } from '../../server/security/options';

const dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-config-'));
const file = (name: string, text: string) => {
  const full = path.join(dir, name);
  writeFileSync(full, text);
  return full;
};
const CERT = file('client.pem', 'client certificate');
const KEY = file('client.key', 'client key');
const CA = file('ca.pem', 'server CA');
const DESIGNER = path.join(dir, 'dist');
mkdirSync(DESIGNER);
file('dist/index.html', '<!doctype html>');
const MISSING = path.join(dir, 'missing.pem');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Process = 'api' | 'worker' | 'start';
const PROCESSES: Record<
  Process,
  { schema: z.ZodObject; load: (env: NodeJS.ProcessEnv) => unknown }
> = {
  api: { schema: ApiEnv, load: loadApiConfig },
  worker: { schema: WorkerEnv, load: loadWorkerConfig },
  start: { schema: StartEnv, load: loadStartConfig },
};

/** A wrong value of each variable and the line it gives (a function where processes differ). */
type Bad = { value: string; line: string | ((process: Process) => string) };
const SECRET = '(the value is a secret: not shown)';
const BAD: Record<string, Bad | { anyValue: string }> = {
  PORT: {
    value: '65536',
    line: (p) => `PORT: expected an integer ${p === 'start' ? 1 : 0}..65535, got "65536"`,
  },
  HOST: {
    value: 'local host',
    line: 'HOST: expected a host name or IP address to listen on, got "local host"',
  },
  DATABASE_URL: {
    value: 'mysql://root:hunter2@db/app',
    line: `DATABASE_URL: expected a postgres:// URL or an SQLite file such as sqlite:./data/gatehouse.db ${SECRET}`,
  },
  DATABASE_POOL_SIZE: {
    value: '0',
    line: 'DATABASE_POOL_SIZE: expected an integer 1..1000, got "0"',
  },
  DATABASE_WAIT: {
    value: '2d',
    line: 'DATABASE_WAIT: expected a duration up to 24h, like 60s or 5m (0: do not wait), got "2d"',
  },
  TEMPORAL_ADDRESS: {
    value: 'http://temporal:7233',
    line: 'TEMPORAL_ADDRESS: expected host:port of the Temporal frontend, e.g. temporal:7233, got "http://temporal:7233"',
  },
  TEMPORAL_NAMESPACE: {
    value: 'my namespace',
    line: 'TEMPORAL_NAMESPACE: expected a namespace name (letters, digits, ".", "_", "-"), got "my namespace"',
  },
  TEMPORAL_TASK_QUEUE: {
    value: 'two words',
    line: 'TEMPORAL_TASK_QUEUE: expected a task queue name without spaces, got "two words"',
  },
  TEMPORAL_TLS: { value: 'maybe', line: 'TEMPORAL_TLS: expected true or false, got "maybe"' },
  TEMPORAL_TLS_CERT: {
    value: MISSING,
    line: `TEMPORAL_TLS_CERT: cannot read ${JSON.stringify(MISSING)}: no such file`,
  },
  TEMPORAL_TLS_KEY: {
    value: dir,
    line: `TEMPORAL_TLS_KEY: cannot read ${JSON.stringify(dir)}: not a file`,
  },
  TEMPORAL_TLS_CA: {
    value: MISSING,
    line: `TEMPORAL_TLS_CA: cannot read ${JSON.stringify(MISSING)}: no such file`,
  },
  TEMPORAL_TLS_SERVER_NAME: {
    value: 'https://temporal',
    line: 'TEMPORAL_TLS_SERVER_NAME: expected a host name, got "https://temporal"',
  },
  TEMPORAL_CONFIG_FILE: {
    value: MISSING,
    line: `TEMPORAL_CONFIG_FILE: cannot read ${JSON.stringify(MISSING)}: no such file`,
  },
  TEMPORAL_PROFILE: {
    value: 'my profile',
    line: 'TEMPORAL_PROFILE: expected a profile name (letters, digits, ".", "_", "-"), got "my profile"',
  },
  TEMPORAL_TLS_CLIENT_CERT_PATH: {
    value: MISSING,
    line: `TEMPORAL_TLS_CLIENT_CERT_PATH: cannot read ${JSON.stringify(MISSING)}: no such file`,
  },
  TEMPORAL_TLS_CLIENT_KEY_PATH: {
    value: dir,
    line: `TEMPORAL_TLS_CLIENT_KEY_PATH: cannot read ${JSON.stringify(dir)}: not a file`,
  },
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: {
    value: MISSING,
    line: `TEMPORAL_TLS_SERVER_CA_CERT_PATH: cannot read ${JSON.stringify(MISSING)}: no such file`,
  },
  TEMPORAL_TLS_CLIENT_CERT_DATA: {
    value: CERT,
    line: `TEMPORAL_TLS_CLIENT_CERT_DATA: expected the client certificate as PEM text, got ${JSON.stringify(CERT)}`,
  },
  TEMPORAL_TLS_CLIENT_KEY_DATA: {
    value: 'not a key',
    line: `TEMPORAL_TLS_CLIENT_KEY_DATA: expected the client certificate's private key as PEM text ${SECRET}`,
  },
  TEMPORAL_TLS_SERVER_CA_CERT_DATA: {
    value: 'MIIB...',
    line: `TEMPORAL_TLS_SERVER_CA_CERT_DATA: expected the server's CA certificate as PEM text, got "MIIB..."`,
  },
  TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: {
    value: 'true',
    line: "TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: not supported by the Temporal TypeScript SDK: set TEMPORAL_TLS_SERVER_NAME to a name in the server's certificate instead",
  },
  TEMPORAL_API_KEY: {
    value: 'key with spaces',
    line: `TEMPORAL_API_KEY: expected an API key without spaces ${SECRET}`,
  },
  GATEHOUSE_ADMIN_TOKEN: {
    value: 'too-short',
    line: `GATEHOUSE_ADMIN_TOKEN: expected a token of at least 24 characters without spaces ${SECRET}`,
  },
  GATEHOUSE_STATIC_DIR: {
    value: dir,
    line: `GATEHOUSE_STATIC_DIR: ${JSON.stringify(dir)} holds no built designer (index.html)`,
  },
  OIDC_ISSUER: {
    value: 'issuer.example',
    line: 'OIDC_ISSUER: expected the OpenID Connect issuer URL, got "issuer.example"',
  },
  OIDC_AUDIENCE: { anyValue: 'any audience string is the issuer’s to define' },
  OIDC_JWKS_URL: {
    value: 'ftp://issuer.example/jwks',
    line: `OIDC_JWKS_URL: expected the issuer's JWKS URL, got "ftp://issuer.example/jwks"`,
  },
  BODY_LIMIT: { value: 'big', line: 'BODY_LIMIT: expected a size like 256kb or 1mb, got "big"' },
  ACTION_TIMEOUT: {
    value: '10 minutes',
    line: 'ACTION_TIMEOUT: expected a duration from 100ms to 600s, like 10s or 2500ms, got "10 minutes"',
  },
  TEMPORAL_UI_URL: {
    value: 'localhost:8233',
    line: 'TEMPORAL_UI_URL: expected the http(s) URL of the Temporal Web UI, got "localhost:8233"',
  },
  LOG_LEVEL: {
    value: 'verbose',
    line: 'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "verbose"',
  },
  WEBHOOK_URL: {
    value: 'hooks.slack.com/services/T0/B0/secret',
    line: `WEBHOOK_URL: expected an http(s) URL ${SECRET}`,
  },
  WEBHOOK_FORMAT: {
    value: 'discord',
    line: 'WEBHOOK_FORMAT: expected one of slack, teams, got "discord"',
  },
  // Not `whsec_` and base64, or a key too short: named, the value never shown.
  WEBHOOK_SECRET: {
    value: 'whsec_c2hvcnQ=',
    line:
      'WEBHOOK_SECRET: expected whsec_ and the base64 of 24 to 64 random bytes ' +
      `(e.g. whsec_$(openssl rand -base64 32)) ${SECRET}`,
  },
  GATEHOUSE_PUBLIC_URL: {
    value: 'gatehouse.example.com',
    line: 'GATEHOUSE_PUBLIC_URL: expected the http(s) URL people open Gatehouse at, got "gatehouse.example.com"',
  },
  SMTP_URL: {
    value: 'mail:587',
    line: `SMTP_URL: expected an smtp:// or smtps:// URL ${SECRET}`,
  },
  MAIL_FROM: {
    value: 'Gatehouse',
    line: 'MAIL_FROM: expected an e-mail address, optionally as Name <address@host>, got "Gatehouse"',
  },
  WORKER_CACHED_WORKFLOWS: {
    value: '1',
    line: 'WORKER_CACHED_WORKFLOWS: expected an integer 2..1000000, got "1"',
  },
  WORKER_METRICS_PORT: {
    value: 'nine',
    line: 'WORKER_METRICS_PORT: expected an integer 0..65535 (0: no metrics or health endpoint), got "nine"',
  },
  API_METRICS_PORT: {
    value: '70000',
    line: 'API_METRICS_PORT: expected an integer 0..65535 (0: no metrics endpoint), got "70000"',
  },
  GATEHOUSE_ALLOWED_HOSTS: {
    value: 'gatehouse.example.com, evil/path',
    line: 'GATEHOUSE_ALLOWED_HOSTS: expected host names separated by commas, e.g. gatehouse.example.com, got "gatehouse.example.com, evil/path"',
  },
  GATEHOUSE_ADMIN_TOKEN_FILE: { anyValue: 'any file path' },
  TRUST_PROXY: {
    value: 'yes please',
    line: 'TRUST_PROXY: expected loopback, a number of proxies, or proxy addresses (CIDR) separated by commas, got "yes please"',
  },
  HSTS_MAX_AGE: {
    value: '1000d',
    line: 'HSTS_MAX_AGE: expected a duration from 0s to 730d (like 30m, 12h, 90d), got "1000d"',
  },
  TOKEN_LIFETIME: {
    value: '90',
    line: 'TOKEN_LIFETIME: expected a duration from 1h to 3650d (like 30m, 12h, 90d), got "90"',
  },
  SESSION_IDLE_TIMEOUT: {
    value: '10s',
    line: 'SESSION_IDLE_TIMEOUT: expected a duration from 1m to 24h (like 30m, 12h, 90d), got "10s"',
  },
  SESSION_MAX_AGE: {
    value: '31d',
    line: 'SESSION_MAX_AGE: expected a duration from 5m to 30d (like 30m, 12h, 90d), got "31d"',
  },
  RATE_LIMIT_PER_ADDRESS: {
    value: '600 per minute',
    line: 'RATE_LIMIT_PER_ADDRESS: expected a count per duration like 600/1m, or off, got "600 per minute"',
  },
  RATE_LIMIT_PER_USER: {
    value: '0/1m',
    line: 'RATE_LIMIT_PER_USER: expected a count per duration like 600/1m, or off, got "0/1m"',
  },
  AUTH_FAILURE_LIMIT: {
    value: '10/1ms',
    line: 'AUTH_FAILURE_LIMIT: expected a count per duration like 600/1m, or off, got "10/1ms"',
  },
  EVENT_STREAMS_PER_USER: {
    value: '0',
    line: 'EVENT_STREAMS_PER_USER: expected an integer 1..9999, got "0"',
  },
  OIDC_CLIENT_ID: { anyValue: 'the client id is the provider’s to define' },
  OIDC_CLIENT_SECRET: { anyValue: 'the client secret is the provider’s to define' },
  OIDC_ALGORITHMS: {
    value: 'RS256,HS256',
    line: 'OIDC_ALGORITHMS: expected asymmetric JWS algorithms separated by commas (RS256, PS256, ES256, EdDSA, …), got "RS256,HS256"',
  },
  OIDC_CLOCK_SKEW: {
    value: '10m',
    line: 'OIDC_CLOCK_SKEW: expected a duration from 0s to 5m (like 30m, 12h, 90d), got "10m"',
  },
  OIDC_EMAIL_DOMAINS: {
    value: '@example.com',
    line: 'OIDC_EMAIL_DOMAINS: expected e-mail domains separated by commas, e.g. example.com, got "@example.com"',
  },
  OIDC_JIT: { value: 'maybe', line: 'OIDC_JIT: expected true or false, got "maybe"' },
  OIDC_ROLES_CLAIM: { anyValue: 'any claim name' },
  OIDC_PMO_ROLE: {
    value: 'PMO people',
    line: 'OIDC_PMO_ROLE: expected a role or group name without spaces, got "PMO people"',
  },
  OIDC_ADMIN_ROLE: {
    value: 'the admins',
    line: 'OIDC_ADMIN_ROLE: expected a role or group name without spaces, got "the admins"',
  },
  GATEHOUSE_DEMO: {
    value: 'sure',
    line: 'GATEHOUSE_DEMO: expected 1 (demo users) or 0, got "sure"',
  },
  GATEHOUSE_DATA_DIR: { anyValue: 'any folder path' },
  WORKFLOW_BUNDLE_DIR: { anyValue: 'any folder path' },
  TEMPORAL_PORT: { value: '0', line: 'TEMPORAL_PORT: expected an integer 1..65535, got "0"' },
  TEMPORAL_UI_PORT: {
    value: '-1',
    line: 'TEMPORAL_UI_PORT: expected an integer 1..65535, got "-1"',
  },
};

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

function lineOf(load: (env: NodeJS.ProcessEnv) => unknown, env: NodeJS.ProcessEnv): string {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error(`no configuration error for ${JSON.stringify(env)}`);
}

const cases = Object.entries(PROCESSES).flatMap(([process, { schema, load }]) =>
  Object.keys(schema.shape).map((name) => ({ process: process as Process, name, load })),
);

describe.each(cases)('$process: $name', ({ process, name, load }) => {
  const bad = BAD[name];

  it('is in the table of wrong values', () => {
    expect(bad).toBeDefined();
  });

  if (bad && 'value' in bad) {
    it('stops with its one line when wrong', () => {
      const line = typeof bad.line === 'string' ? bad.line : bad.line(process);
      const got = lineOf(load, { [name]: bad.value });
      expect(got).toBe(line);
      expect(got).not.toContain('\n');
      // A secret's value is named, never shown.
      if (line.endsWith(SECRET)) expect(got).not.toContain(bad.value);
    });
  }

  it('takes blank as unset', () => {
    expect(() => load({ [name]: '   ' })).not.toThrow();
  });
});

describe('variables required by another', () => {
  it.each([
    [{ OIDC_ISSUER: 'https://id.example' }, 'OIDC_AUDIENCE: required when OIDC_ISSUER is set'],
    [
      { TEMPORAL_TLS_CERT: CERT },
      "TEMPORAL_TLS_KEY: required with TEMPORAL_TLS_CERT (the certificate's private key)",
    ],
    [
      { TEMPORAL_TLS_KEY: KEY },
      'TEMPORAL_TLS_CERT: required with TEMPORAL_TLS_KEY (the client certificate)',
    ],
    [
      { TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'secret-key' },
      'TEMPORAL_TLS: cannot be false with TEMPORAL_API_KEY set, which needs TLS',
    ],
    [
      { TEMPORAL_TLS: 'false', TEMPORAL_TLS_CERT: CERT, TEMPORAL_TLS_KEY: KEY },
      'TEMPORAL_TLS: cannot be false with TEMPORAL_TLS_CERT set, which needs TLS',
    ],
    [
      { TEMPORAL_TLS: '0', TEMPORAL_TLS_CA: CA },
      'TEMPORAL_TLS: cannot be false with TEMPORAL_TLS_CA set, which needs TLS',
    ],
  ])('%j', (env, line) => {
    expect(lineOf(loadApiConfig, env)).toBe(line);
    if (!('OIDC_ISSUER' in env)) expect(lineOf(loadWorkerConfig, env)).toBe(line);
  });

  it('accepts OIDC with its audience', () => {
    expect(
      loadApiConfig({ OIDC_ISSUER: 'https://id.example', OIDC_AUDIENCE: 'gatehouse' }),
    ).toMatchObject({ OIDC_ISSUER: 'https://id.example', OIDC_AUDIENCE: 'gatehouse' });
  });
});

describe('security settings that depend on each other', () => {
  it.each([
    [{ OIDC_CLIENT_ID: 'web' }, 'OIDC_CLIENT_ID: needs OIDC_ISSUER (the provider to sign in with)'],
    [
      { OIDC_ISSUER: 'https://id.example', OIDC_AUDIENCE: 'a', OIDC_CLIENT_SECRET: 's3cret' },
      'OIDC_CLIENT_SECRET: needs OIDC_CLIENT_ID',
    ],
    [
      { SESSION_IDLE_TIMEOUT: '2h', SESSION_MAX_AGE: '1h' },
      'SESSION_IDLE_TIMEOUT: cannot be longer than SESSION_MAX_AGE',
    ],
  ])('%j', (env, line) => {
    expect(lineOf(loadApiConfig, env)).toBe(line);
  });

  it('reads durations, rates and lists', () => {
    expect(
      loadApiConfig({
        TOKEN_LIFETIME: '30d',
        RATE_LIMIT_PER_USER: 'off',
        AUTH_FAILURE_LIMIT: '5/30s',
        OIDC_ALGORITHMS: 'ES256, EdDSA',
        GATEHOUSE_ALLOWED_HOSTS: 'gatehouse.example.com,[::1]',
        HSTS_MAX_AGE: '0s',
      }),
    ).toMatchObject({
      TOKEN_LIFETIME: 30 * DAY,
      RATE_LIMIT_PER_USER: undefined,
      AUTH_FAILURE_LIMIT: { points: 5, windowMs: 30_000 },
      OIDC_ALGORITHMS: ['ES256', 'EdDSA'],
      GATEHOUSE_ALLOWED_HOSTS: ['gatehouse.example.com', '[::1]'],
      HSTS_MAX_AGE: 0,
    });
  });
});

describe('temporalConnectionOptions', () => {
  const options = (env: NodeJS.ProcessEnv) =>
    temporalConnectionOptions(loadWorkerConfig(env).temporal);
  const text = (bytes: Uint8Array | undefined) => bytes && Buffer.from(bytes).toString();

  it('connects in plain text by default', () => {
    expect(options({})).toEqual({ address: 'localhost:7233' });
    expect(options({ TEMPORAL_TLS: 'false' })).toEqual({ address: 'localhost:7233' });
  });

  it('turns TLS on by itself, with the system CAs', () => {
    expect(options({ TEMPORAL_ADDRESS: 'temporal.example:443', TEMPORAL_TLS: 'true' })).toEqual({
      address: 'temporal.example:443',
      tls: {},
    });
  });

  it('uses an mTLS pair, a private CA and a server name, reading the files', () => {
    const got = options({
      TEMPORAL_TLS_CERT: CERT,
      TEMPORAL_TLS_KEY: KEY,
      TEMPORAL_TLS_CA: CA,
      TEMPORAL_TLS_SERVER_NAME: 'frontend.internal',
    });
    const tls = got.tls as TLSConfig;
    expect(Object.keys(tls).sort()).toEqual([
      'clientCertPair',
      'serverNameOverride',
      'serverRootCACertificate',
    ]);
    expect(tls.serverNameOverride).toBe('frontend.internal');
    expect(text(tls.serverRootCACertificate)).toBe('server CA');
    expect(text(tls.clientCertPair?.crt)).toBe('client certificate');
    expect(text(tls.clientCertPair?.key)).toBe('client key');
    expect(got.apiKey).toBeUndefined();
  });

  it('keeps file contents out of the configuration itself', () => {
    const config = loadWorkerConfig({ TEMPORAL_TLS_CERT: CERT, TEMPORAL_TLS_KEY: KEY });
    expect(JSON.stringify(config)).not.toContain('client key');
    expect(config.temporal.tls?.clientKey).toEqual({ path: KEY });
  });

  it('takes an API key as Temporal Cloud: TLS implied, the namespace in the metadata', () => {
    expect(
      options({
        TEMPORAL_ADDRESS: 'gh.a1b2c.tmprl.cloud:7233',
        TEMPORAL_NAMESPACE: 'gh.a1b2c',
        TEMPORAL_API_KEY: 'cloud-key',
      }),
    ).toEqual({
      address: 'gh.a1b2c.tmprl.cloud:7233',
      tls: {},
      apiKey: 'cloud-key',
      metadata: { 'temporal-namespace': 'gh.a1b2c' },
    });
  });

  it('serves the local dev server of npm start from an address alone', () => {
    expect(temporalConnectionOptions({ address: '127.0.0.1:7233' })).toEqual({
      address: '127.0.0.1:7233',
    });
  });
});

describe('defaults', () => {
  it('api', () => {
    expect(loadApiConfig({})).toEqual({
      PORT: 8080,
      HOST: '0.0.0.0',
      DATABASE_URL: 'sqlite:./data/gatehouse.db',
      DATABASE_POOL_SIZE: 10,
      DATABASE_WAIT: MINUTE,
      TEMPORAL_ADDRESS: 'localhost:7233',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'gatehouse',
      temporal: { address: 'localhost:7233', namespace: 'default' },
      BODY_LIMIT: '256kb',
      ACTION_TIMEOUT: 10_000,
      LOG_LEVEL: 'info',
      GATEHOUSE_ADMIN_TOKEN_FILE: './data/admin-token',
      HSTS_MAX_AGE: 365 * DAY,
      TOKEN_LIFETIME: 90 * DAY,
      SESSION_IDLE_TIMEOUT: 30 * MINUTE,
      SESSION_MAX_AGE: 12 * 60 * MINUTE,
      RATE_LIMIT_PER_ADDRESS: { points: 600, windowMs: MINUTE },
      RATE_LIMIT_PER_USER: { points: 300, windowMs: MINUTE },
      AUTH_FAILURE_LIMIT: { points: 10, windowMs: 15 * MINUTE },
      EVENT_STREAMS_PER_USER: 20,
      OIDC_CLOCK_SKEW: MINUTE,
      OIDC_JIT: false,
      OIDC_PMO_ROLE: 'gatehouse-pmo',
      OIDC_ADMIN_ROLE: 'gatehouse-admin',
      API_METRICS_PORT: 9465,
    });
  });

  it('worker', () => {
    expect(loadWorkerConfig({})).toEqual({
      TEMPORAL_ADDRESS: 'localhost:7233',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'gatehouse',
      temporal: { address: 'localhost:7233', namespace: 'default' },
      DATABASE_URL: 'sqlite:./data/gatehouse.db',
      DATABASE_POOL_SIZE: 10,
      DATABASE_WAIT: MINUTE,
      WEBHOOK_FORMAT: 'slack',
      MAIL_FROM: 'Gatehouse <gatehouse@localhost>',
      LOG_LEVEL: 'info',
      WORKER_METRICS_PORT: 9464,
    });
    // Unset, the SDK picks the cache size; set, the worker gets it as a number.
    expect(loadWorkerConfig({ WORKER_CACHED_WORKFLOWS: '500' }).WORKER_CACHED_WORKFLOWS).toBe(500);
  });

  it('npm start: the database in the data folder', () => {
    expect(loadStartConfig({ GATEHOUSE_DATA_DIR: dir })).toEqual({
      GATEHOUSE_DATA_DIR: dir,
      dataDir: dir,
      PORT: 8080,
      HOST: '127.0.0.1',
      TEMPORAL_PORT: 7233,
      TEMPORAL_UI_PORT: 8233,
      TEMPORAL_TASK_QUEUE: 'gatehouse',
      WEBHOOK_FORMAT: 'slack',
      MAIL_FROM: 'Gatehouse <gatehouse@localhost>',
      GATEHOUSE_DEMO: true,
      DATABASE_URL: `sqlite:${path.join(dir, 'gatehouse.db')}`,
      DATABASE_WAIT: MINUTE,
      RATE_LIMIT_PER_ADDRESS: { points: 600, windowMs: MINUTE },
      RATE_LIMIT_PER_USER: { points: 300, windowMs: MINUTE },
      AUTH_FAILURE_LIMIT: { points: 10, windowMs: 15 * MINUTE },
      EVENT_STREAMS_PER_USER: 20,
    });
  });

  it('npm start: the request limits as the API reads them, `off` turning one off', () => {
    const start = loadStartConfig({
      GATEHOUSE_DATA_DIR: dir,
      RATE_LIMIT_PER_ADDRESS: 'off',
      RATE_LIMIT_PER_USER: '5000/1m',
      EVENT_STREAMS_PER_USER: '3',
    });
    expect(limitsFromConfig(start)).toEqual({
      perUser: { points: 5000, windowMs: MINUTE },
      authFailures: { points: 10, windowMs: 15 * MINUTE },
      streamsPerUser: 3,
    });
    // …the same limits `gatehouse api` gets from the same variables.
    const api = loadApiConfig({
      RATE_LIMIT_PER_ADDRESS: 'off',
      RATE_LIMIT_PER_USER: '5000/1m',
      EVENT_STREAMS_PER_USER: '3',
    });
    expect(limitsFromConfig(start)).toEqual(securityFromConfig(api).limits);
  });

  it('trims values and reads what the variables say', () => {
    const config = loadApiConfig({
      PORT: ' 9090 ',
      GATEHOUSE_STATIC_DIR: DESIGNER,
      TEMPORAL_TLS: 'yes',
      LOG_LEVEL: 'debug',
      WORKER_METRICS_PORT: 'ignored by the API',
    });
    expect(config).toMatchObject({
      PORT: 9090,
      GATEHOUSE_STATIC_DIR: DESIGNER,
      TEMPORAL_TLS: true,
      LOG_LEVEL: 'debug',
    });
  });
});
