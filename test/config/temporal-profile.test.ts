/**
 * config/temporal-profile.ts: the Temporal settings through @temporalio/envconfig. The standard
 * names and the older ones give the same connection; a TOML profile file (TEMPORAL_CONFIG_FILE,
 * TEMPORAL_PROFILE, or the default file) under the variables; conflicts and bad values stop
 * with one line naming the variable or the file's key; a profile connects a client and a worker
 * connection to the real dev server. Real files throughout.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Connection, type TLSConfig } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import {
  ConfigError,
  loadApiConfig,
  loadWorkerConfig,
  temporalConnectionOptions,
  type TemporalConnectionOptions,
} from '../../config';
import { requireTestEnv, TEST_ENV } from '../support/env';

const dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-temporal-profile-'));
const file = (name: string, text: string) => {
  const full = path.join(dir, name);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
  return full;
};
const pem = (what: string) => `-----BEGIN CERTIFICATE-----\n${what}\n-----END CERTIFICATE-----\n`;
const KEY_PEM = '-----BEGIN PRIVATE KEY-----\nclient key\n-----END PRIVATE KEY-----\n';
const CERT = file('client.pem', pem('client certificate'));
const KEY = file('client.key', KEY_PEM);
const CA = file('ca.pem', pem('server CA'));
const MISSING = path.join(dir, 'missing.pem');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A profile file with `text`, as TEMPORAL_CONFIG_FILE. */
const configFile = (name: string, text: string) => ({ TEMPORAL_CONFIG_FILE: file(name, text) });

const options = (env: NodeJS.ProcessEnv): TemporalConnectionOptions =>
  temporalConnectionOptions(loadWorkerConfig(env).temporal);
/** PEM as text; a variable's value is trimmed, as every variable is, so the last newline goes. */
const text = (bytes: Uint8Array | undefined) => bytes && Buffer.from(bytes).toString().trim();
/** TLS options with the file contents as text, comparable with toEqual. */
function readable(got: TemporalConnectionOptions) {
  const tls = got.tls as TLSConfig | undefined;
  if (!tls) return got;
  return {
    ...got,
    tls: {
      ...tls,
      ...(tls.serverRootCACertificate && {
        serverRootCACertificate: text(tls.serverRootCACertificate),
      }),
      ...(tls.clientCertPair && {
        clientCertPair: { crt: text(tls.clientCertPair.crt), key: text(tls.clientCertPair.key) },
      }),
    },
  };
}

function lineOf(env: NodeJS.ProcessEnv): string {
  let line: string | undefined;
  for (const load of [loadWorkerConfig, loadApiConfig]) {
    try {
      load(env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      // The API and the worker read Temporal alike.
      if (line !== undefined) expect(error.message).toBe(line);
      line = error.message;
      continue;
    }
    throw new Error(`no configuration error for ${JSON.stringify(env)}`);
  }
  expect(line).not.toContain('\n');
  return line!;
}

const MTLS = {
  address: 'temporal.internal:7233',
  tls: {
    serverNameOverride: 'frontend.internal',
    serverRootCACertificate: pem('server CA').trim(),
    clientCertPair: { crt: pem('client certificate').trim(), key: KEY_PEM.trim() },
  },
};

describe('the standard names and the older ones', () => {
  const common = { TEMPORAL_ADDRESS: MTLS.address, TEMPORAL_TLS_SERVER_NAME: 'frontend.internal' };

  it('connect alike: older names, standard paths, standard PEM data', () => {
    const older = {
      ...common,
      TEMPORAL_TLS_CERT: CERT,
      TEMPORAL_TLS_KEY: KEY,
      TEMPORAL_TLS_CA: CA,
    };
    const paths = {
      ...common,
      TEMPORAL_TLS_CLIENT_CERT_PATH: CERT,
      TEMPORAL_TLS_CLIENT_KEY_PATH: KEY,
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: CA,
    };
    const data = {
      ...common,
      TEMPORAL_TLS_CLIENT_CERT_DATA: pem('client certificate'),
      TEMPORAL_TLS_CLIENT_KEY_DATA: KEY_PEM,
      TEMPORAL_TLS_SERVER_CA_CERT_DATA: pem('server CA'),
    };
    for (const env of [older, paths, data]) expect(readable(options(env))).toEqual(MTLS);
  });

  it('accepts an older name beside its standard one when both say the same', () => {
    const env = {
      TEMPORAL_TLS_CERT: CERT,
      TEMPORAL_TLS_CLIENT_CERT_PATH: CERT,
      TEMPORAL_TLS_KEY: KEY,
    };
    expect(readable(options(env)).tls).toMatchObject({ clientCertPair: MTLS.tls.clientCertPair });
  });

  it.each([
    [
      { TEMPORAL_TLS_CERT: CERT, TEMPORAL_TLS_CLIENT_CERT_PATH: KEY },
      'TEMPORAL_TLS_CERT: conflicts with TEMPORAL_TLS_CLIENT_CERT_PATH (both give the client certificate): set one of them',
    ],
    [
      { TEMPORAL_TLS_CA: CA, TEMPORAL_TLS_SERVER_CA_CERT_DATA: pem('server CA') },
      "TEMPORAL_TLS_CA: conflicts with TEMPORAL_TLS_SERVER_CA_CERT_DATA (both give the server's CA certificate): set one of them",
    ],
    [
      { TEMPORAL_TLS_CLIENT_KEY_PATH: KEY, TEMPORAL_TLS_CLIENT_KEY_DATA: KEY_PEM },
      "TEMPORAL_TLS_CLIENT_KEY_PATH: conflicts with TEMPORAL_TLS_CLIENT_KEY_DATA (both give the certificate's private key): set one of them",
    ],
    [
      { TEMPORAL_TLS_CLIENT_CERT_PATH: CERT },
      "TEMPORAL_TLS_CLIENT_KEY_PATH: required with TEMPORAL_TLS_CLIENT_CERT_PATH (the certificate's private key)",
    ],
    [
      { TEMPORAL_TLS_CLIENT_KEY_DATA: KEY_PEM },
      'TEMPORAL_TLS_CLIENT_CERT_DATA: required with TEMPORAL_TLS_CLIENT_KEY_DATA (the client certificate)',
    ],
    [
      { TEMPORAL_TLS: 'off', TEMPORAL_TLS_SERVER_CA_CERT_PATH: CA },
      'TEMPORAL_TLS: cannot be false with TEMPORAL_TLS_SERVER_CA_CERT_PATH set, which needs TLS',
    ],
  ])('refuses %j', (env, line) => {
    expect(lineOf(env)).toBe(line);
  });

  it('reads TEMPORAL_TLS as the other booleans, blank as unset (envconfig alone would not)', () => {
    // envconfig takes only "true" and "1" as on, and "" as off.
    expect(options({ TEMPORAL_TLS: 'yes' }).tls).toEqual({});
    expect(options({ TEMPORAL_TLS: '', TEMPORAL_API_KEY: 'cloud-key' }).tls).toEqual({});
  });

  it('sends the gRPC headers of TEMPORAL_GRPC_META_*', () => {
    expect(options({ TEMPORAL_GRPC_META_X_TEAM_NAME: 'pmo' }).metadata).toEqual({
      'x-team-name': 'pmo',
    });
  });
});

describe('a TOML profile file', () => {
  const PROFILES = `
[profile.default]
address = "temporal.internal:7233"
namespace = "gatehouse"

[profile.mtls]
address = "temporal.internal:7233"
[profile.mtls.tls]
server_name = "frontend.internal"
client_cert_path = ${JSON.stringify(CERT)}
client_key_data = ${JSON.stringify(KEY_PEM)}
server_ca_cert_path = ${JSON.stringify(CA)}

[profile.cloud]
address = "gh.a1b2c.tmprl.cloud:7233"
namespace = "gh.a1b2c"
api_key = "cloud-key"
[profile.cloud.grpc_meta]
x-team = "pmo"
`;
  const profiles = configFile('profiles.toml', PROFILES);

  it('gives its default profile, under the variables', () => {
    const config = loadApiConfig(profiles);
    expect(config).toMatchObject({
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_NAMESPACE: 'gatehouse',
    });
    expect(options(profiles)).toEqual({ address: 'temporal.internal:7233' });
    const overridden = loadWorkerConfig({ ...profiles, TEMPORAL_NAMESPACE: 'other' });
    expect(overridden.TEMPORAL_NAMESPACE).toBe('other');
    expect(overridden.temporal.address).toBe('temporal.internal:7233');
  });

  it('gives the profile TEMPORAL_PROFILE names: mTLS from paths and data', () => {
    expect(readable(options({ ...profiles, TEMPORAL_PROFILE: 'mtls' }))).toEqual(MTLS);
  });

  it('gives Temporal Cloud: the API key, TLS implied, its headers and the namespace header', () => {
    expect(options({ ...profiles, TEMPORAL_PROFILE: 'cloud' })).toEqual({
      address: 'gh.a1b2c.tmprl.cloud:7233',
      tls: {},
      apiKey: 'cloud-key',
      metadata: { 'temporal-namespace': 'gh.a1b2c', 'x-team': 'pmo' },
    });
  });

  it('is found at the default place when TEMPORAL_CONFIG_FILE is unset', () => {
    const home = path.join(dir, 'xdg');
    file('xdg/temporalio/temporal.toml', '[profile.default]\naddress = "from-default-file:7233"\n');
    expect(loadWorkerConfig({ XDG_CONFIG_HOME: home }).TEMPORAL_ADDRESS).toBe(
      'from-default-file:7233',
    );
  });

  const bad = (name: string, toml: string) => configFile(name, `[profile.default]\n${toml}\n`);
  const where = (name: string, profile = 'default') =>
    `TEMPORAL_CONFIG_FILE: profile "${profile}" of ${JSON.stringify(path.join(dir, name))}`;

  it.each([
    [
      { ...profiles, TEMPORAL_PROFILE: 'staging' },
      `TEMPORAL_PROFILE: no profile "staging" in ${JSON.stringify(profiles.TEMPORAL_CONFIG_FILE)}`,
    ],
    [
      configFile('broken.toml', '[profile.default\naddress = 1'),
      `TEMPORAL_CONFIG_FILE: ${JSON.stringify(path.join(dir, 'broken.toml'))} is not valid TOML (line 1, column 17): illegal character in key`,
    ],
    [
      bad('scheme.toml', 'address = "http://temporal:7233"'),
      `${where('scheme.toml')}: address: expected host:port of the Temporal frontend, e.g. temporal:7233, got "http://temporal:7233"`,
    ],
    [
      bad('number.toml', 'namespace = 7'),
      `${where('number.toml')}: namespace: expected a namespace name (letters, digits, ".", "_", "-")`,
    ],
    [
      bad('key.toml', 'api_key = "two words"'),
      `${where('key.toml')}: api_key: expected an API key without spaces (the value is a secret: not shown)`,
    ],
    [
      bad(
        'missing.toml',
        `[profile.default.tls]\nserver_ca_cert_path = ${JSON.stringify(MISSING)}`,
      ),
      `${where('missing.toml')}: tls.server_ca_cert_path: cannot read ${JSON.stringify(MISSING)}: no such file`,
    ],
    [
      bad('both.toml', `[profile.default.tls]\nclient_cert_path = "a"\nclient_cert_data = "b"`),
      `${where('both.toml')}: Cannot specify both client_cert_path and client_cert_data`,
    ],
    [
      bad('half.toml', `[profile.default.tls]\nclient_cert_path = ${JSON.stringify(CERT)}`),
      `${where('half.toml')}: tls.client_key_path or tls.client_key_data: required with tls.client_cert_path (the certificate's private key)`,
    ],
    [
      bad('off.toml', `api_key = "cloud-key"\n[profile.default.tls]\ndisabled = true`),
      `${where('off.toml')}: tls.disabled: cannot be true with api_key of profile "default" set, which needs TLS`,
    ],
    [
      { ...profiles, TEMPORAL_PROFILE: 'mtls', TEMPORAL_TLS_KEY: KEY },
      'TEMPORAL_TLS_KEY: cannot replace tls.client_key_data of profile "mtls": set TEMPORAL_TLS_CLIENT_KEY_DATA instead, or remove it from the file',
    ],
    [
      { ...profiles, TEMPORAL_PROFILE: 'cloud', TEMPORAL_TLS: 'false' },
      'TEMPORAL_TLS: cannot be false with api_key of profile "cloud" set, which needs TLS',
    ],
  ])('refuses %j', (env, line) => {
    expect(lineOf(env)).toBe(line);
  });

  it('lets a variable finish what the profile starts: the key beside its certificate', () => {
    const half = bad(
      'cert-only.toml',
      `[profile.default.tls]\nclient_cert_path = ${JSON.stringify(CERT)}`,
    );
    const got = readable(options({ ...half, TEMPORAL_TLS_KEY: KEY }));
    expect(got.tls).toEqual({ clientCertPair: MTLS.tls.clientCertPair });
  });
});

describe('a profile connects the client and the worker to the real server', () => {
  it('Connection and NativeConnection reach the namespace the profile names', async () => {
    const address = requireTestEnv(TEST_ENV.address);
    const namespace = requireTestEnv(TEST_ENV.namespace);
    const env = configFile(
      'dev.toml',
      `[profile.dev]\naddress = "${address}"\nnamespace = "${namespace}"\n[profile.dev.grpc_meta]\nx-gatehouse = "test"\n`,
    );
    const config = loadWorkerConfig({ ...env, TEMPORAL_PROFILE: 'dev' });
    const connectionOptions = temporalConnectionOptions(config.temporal);
    expect(connectionOptions).toEqual({ address, metadata: { 'x-gatehouse': 'test' } });

    const client = await Connection.connect(connectionOptions);
    const worker = await NativeConnection.connect(connectionOptions);
    try {
      const request = { namespace: config.TEMPORAL_NAMESPACE };
      const described = await client.workflowService.describeNamespace(request);
      expect(described.namespaceInfo?.name).toBe(namespace);
      const fromWorker = await worker.workflowService.describeNamespace(request);
      expect(fromWorker.namespaceInfo?.name).toBe(namespace);
    } finally {
      await client.close();
      await worker.close();
    }
  });
});
