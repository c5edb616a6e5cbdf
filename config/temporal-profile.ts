/**
 * Where the Temporal settings meet: @temporalio/envconfig reads the TOML profile file
 * (TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE), lays the variables over it and turns the result
 * into connection options. Gatehouse adds what it does not: the profile's values are checked as
 * the variables are, a setting the SDK would silently drop (a certificate without its key) or
 * contradict (TLS off beside an API key) stops start-up, and every problem is one line naming
 * the variable or the file's key. The same options serve the client's `Connection.connect`
 * and the worker's `NativeConnection.connect`.
 */
import {
  loadClientConfigProfile,
  toClientOptions,
  type ClientConfigProfile,
  type LoadClientProfileOptions,
} from '@temporalio/envconfig';
import type { ConnectionOptions } from '@temporalio/client';
import type { NativeConnectionOptions } from '@temporalio/worker';
import { z } from 'zod';
import { RULES, TLS_FILES, envSource, type TemporalEnv, type TlsFile } from './temporal';
import { ConfigError, readablePath } from './variables';

/** The profile Gatehouse connects with: the file's, with the variables laid over it. */
export type TemporalProfile = ClientConfigProfile & { address: string; namespace: string };

/** What {@link withTemporal} adds to a process's configuration. */
export interface TemporalTarget {
  /** Where the settings led: the variable, else the profile, else localhost:7233. */
  TEMPORAL_ADDRESS: string;
  /** Likewise; else `default`. */
  TEMPORAL_NAMESPACE: string;
  /** File paths stay paths here: certificates and keys are read when connecting. */
  temporal: TemporalProfile;
}

/** A process's configuration with its Temporal profile resolved. */
export type WithTemporal<C> = Omit<C, keyof TemporalTarget> & TemporalTarget;

const DEFAULT_ADDRESS = 'localhost:7233';
const DEFAULT_NAMESPACE = 'default';
/** The variables envconfig reads besides the ones of the schema. */
const PASSED_ON = ['HOME', 'XDG_CONFIG_HOME', 'APPDATA'];
const GRPC_META = 'TEMPORAL_GRPC_META_';

/**
 * `config` with the Temporal profile resolved, or a ConfigError naming what is wrong. `env` is
 * what `config` was parsed from (for the default file's location and gRPC metadata headers).
 */
export function withTemporal<C extends TemporalEnv>(
  config: C,
  env: NodeJS.ProcessEnv,
): WithTemporal<C> {
  const vars = envconfigVariables(config, env);
  const file = new ProfileFile(vars);
  const fromFile = file.check(file.load({ disableEnv: true, overrideEnvVars: vars }));
  checkOverrides(config, fromFile, file);
  const merged = file.load({ overrideEnvVars: vars });
  checkMerged(config, fromFile, merged, file);
  const temporal = {
    ...merged,
    address: merged.address ?? DEFAULT_ADDRESS,
    namespace: merged.namespace ?? DEFAULT_NAMESPACE,
  };
  return {
    ...config,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace,
    temporal,
  };
}

/**
 * The variables as envconfig reads them: only checked values (blank is unset, `TEMPORAL_TLS`
 * as `true`/`false` whichever spelling was used), the older names under the standard ones.
 */
function envconfigVariables(config: TemporalEnv, env: NodeJS.ProcessEnv): Record<string, string> {
  const vars: Record<string, string> = {};
  const put = (name: string, value: string | undefined) => {
    if (value !== undefined) vars[name] = value;
  };
  for (const name of PASSED_ON) put(name, env[name]);
  // envconfig's own rule: an empty value removes a header the profile sets. The header is named
  // here (lower case, every "_" a "-", as the Temporal CLI does): envconfig 1.24 turns only the
  // first "_" into "-".
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(GRPC_META)) continue;
    put(GRPC_META + name.slice(GRPC_META.length).toLowerCase().replaceAll('_', '-'), value);
  }
  for (const name of [
    'TEMPORAL_CONFIG_FILE',
    'TEMPORAL_PROFILE',
    'TEMPORAL_ADDRESS',
    'TEMPORAL_NAMESPACE',
    'TEMPORAL_API_KEY',
    'TEMPORAL_TLS_SERVER_NAME',
  ] as const) {
    put(name, config[name]);
  }
  if (config.TEMPORAL_TLS !== undefined) vars.TEMPORAL_TLS = String(config.TEMPORAL_TLS);
  for (const { legacy, path, data } of Object.values(TLS_FILES)) {
    put(path, config[path] ?? config[legacy]);
    put(data, config[data]);
  }
  return vars;
}

/** A TOML key of a profile as its file spells it, for messages. */
type Key = { key: string; expected: string; secret?: boolean };

/** Every key Gatehouse checks, by its path in envconfig's profile object. */
const KEYS: Record<string, Key> = {
  address: { key: 'address', expected: RULES.address.expected },
  namespace: { key: 'namespace', expected: RULES.namespace.expected },
  apiKey: { key: 'api_key', expected: RULES.apiKey.expected, secret: true },
  'tls.disabled': { key: 'tls.disabled', expected: 'true or false' },
  'tls.serverName': { key: 'tls.server_name', expected: RULES.serverName.expected },
  grpcMeta: { key: 'grpc_meta', expected: 'a table of header names and text values' },
  ...Object.fromEntries(
    Object.entries(TLS_FILES).flatMap(([name, { toml, what }]) => [
      [`tls.${name}.path`, { key: `tls.${toml}_path`, expected: `the path of ${what} (PEM)` }],
      [
        `tls.${name}.data`,
        { key: `tls.${toml}_data`, expected: `${what} as PEM text`, secret: name === 'clientKey' },
      ],
    ]),
  ),
};

const pemBytes = z
  .instanceof(Uint8Array)
  .refine((bytes) => RULES.pem.schema.safeParse(new TextDecoder().decode(bytes)).success);
const source = z.object({ path: readablePath.optional(), data: pemBytes.optional() }).optional();

/** A profile as envconfig hands it over from the file, before the variables. */
const FileProfile = z.object({
  address: RULES.address.schema.optional(),
  namespace: RULES.namespace.schema.optional(),
  apiKey: RULES.apiKey.schema.optional(),
  tls: z
    .object({
      disabled: z.boolean().optional(),
      serverName: RULES.serverName.schema.optional(),
      clientCert: source,
      clientKey: source,
      serverCACert: source,
    })
    .optional(),
  grpcMeta: z.record(z.string(), z.string()).optional(),
});

/** The profile file envconfig reads, for loading it and for naming it in messages. */
class ProfileFile {
  readonly name: string;
  private readonly where: string;

  constructor(vars: Record<string, string>) {
    this.name = vars.TEMPORAL_PROFILE ?? 'default';
    this.where =
      vars.TEMPORAL_CONFIG_FILE !== undefined
        ? JSON.stringify(vars.TEMPORAL_CONFIG_FILE)
        : "the default file (temporalio/temporal.toml in the user's config folder)";
  }

  /** `TEMPORAL_CONFIG_FILE: profile "x" of "f": <what>`: one line about the file. */
  line(what: string): string {
    return `TEMPORAL_CONFIG_FILE: profile "${this.name}" of ${this.where}: ${what}`;
  }

  /** A key of the profile, named for a message about its value. */
  key(path: string): string {
    return `${KEYS[path]?.key ?? path} of profile "${this.name}"`;
  }

  /** envconfig's load, its errors as one line naming the variable or the file. */
  load(options: LoadClientProfileOptions): ClientConfigProfile {
    try {
      return loadClientConfigProfile(options);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (/^Profile '.*' not found/.test(message)) {
        throw new ConfigError(`TEMPORAL_PROFILE: no profile "${this.name}" in ${this.where}`);
      }
      const firstLine = message.split('\n')[0]!;
      // smol-toml's TomlError, with the line and column where the parser stopped.
      const toml = /^Invalid TOML document: /.exec(firstLine);
      if (toml) {
        const { line, column } = error as { line?: number; column?: number };
        const at = line !== undefined ? ` (line ${line}, column ${column})` : '';
        throw new ConfigError(
          `TEMPORAL_CONFIG_FILE: ${this.where} is not valid TOML${at}: ${firstLine.slice(toml[0].length)}`,
        );
      }
      throw new ConfigError(this.line(firstLine));
    }
  }

  /** The profile's values checked as the variables are. */
  check(profile: ClientConfigProfile): ClientConfigProfile {
    const parsed = FileProfile.safeParse(profile);
    if (parsed.success) return profile;
    const issue = parsed.error.issues[0]!;
    const path = issue.path.join('.');
    const known = KEYS[path];
    if (!known) throw new ConfigError(this.line(`${path}: ${issue.message}`));
    if (issue.code === 'custom' && (issue.params as { explained?: boolean })?.explained) {
      throw new ConfigError(this.line(`${known.key}: ${issue.message}`));
    }
    const value = issue.path.reduce<unknown>(
      (at, part) => (at as Record<PropertyKey, unknown>)[part],
      profile,
    );
    const shown = known.secret || typeof value !== 'string' ? '' : `, got ${JSON.stringify(value)}`;
    const secret = known.secret ? ' (the value is a secret: not shown)' : '';
    throw new ConfigError(this.line(`${known.key}: expected ${known.expected}${shown}${secret}`));
  }
}

/**
 * A variable may replace a TLS file of the profile only in the same form (path for path, data
 * for data): envconfig would keep both and refuse them.
 */
function checkOverrides(config: TemporalEnv, fromFile: ClientConfigProfile, file: ProfileFile) {
  for (const name of Object.keys(TLS_FILES) as TlsFile[]) {
    const spec = TLS_FILES[name];
    const variable = envSource(config, name);
    const inFile = fromFile.tls?.[name];
    if (!variable || !inFile) continue;
    const fileForm = 'path' in inFile ? 'path' : 'data';
    const variableForm = variable === spec.data ? 'data' : 'path';
    if (fileForm === variableForm) continue;
    throw new ConfigError(
      `${variable}: cannot replace tls.${spec.toml}_${fileForm} of profile "${file.name}": ` +
        `set ${spec[fileForm]} instead, or remove it from the file`,
    );
  }
}

/** Rules across the variables and the file: a key needs its certificate, TLS what needs it. */
function checkMerged(
  config: TemporalEnv,
  fromFile: ClientConfigProfile,
  merged: ClientConfigProfile,
  file: ProfileFile,
): void {
  /** Where TLS file `name` came from: its variable or its key in the file; undefined: nowhere. */
  const origin = (name: TlsFile): string | undefined => {
    const variable = envSource(config, name);
    if (variable) return variable;
    const inFile = fromFile.tls?.[name];
    return inFile && `tls.${TLS_FILES[name].toml}_${'path' in inFile ? 'path' : 'data'}`;
  };

  const cert = origin('clientCert');
  const key = origin('clientKey');
  if (cert && !key) throw new ConfigError(counterpart(cert, 'clientKey', file));
  if (key && !cert) throw new ConfigError(counterpart(key, 'clientCert', file));

  if (merged.tls?.disabled !== true) return;
  const needsTls = [
    config.TEMPORAL_API_KEY !== undefined
      ? 'TEMPORAL_API_KEY'
      : fromFile.apiKey !== undefined
        ? file.key('apiKey')
        : undefined,
    cert,
    origin('serverCACert'),
    config.TEMPORAL_TLS_SERVER_NAME !== undefined
      ? 'TEMPORAL_TLS_SERVER_NAME'
      : fromFile.tls?.serverName !== undefined
        ? file.key('tls.serverName')
        : undefined,
  ].find((label) => label !== undefined);
  if (!needsTls) return;
  const why = `with ${needsTls} set, which needs TLS`;
  throw new ConfigError(
    config.TEMPORAL_TLS === false
      ? `TEMPORAL_TLS: cannot be false ${why}`
      : file.line(`tls.disabled: cannot be true ${why}`),
  );
}

/** "<the missing half>: required with <the half given> (<what is missing>)". */
function counterpart(given: string, missing: TlsFile, file: ProfileFile): string {
  const spec = TLS_FILES[missing];
  const other = TLS_FILES[missing === 'clientKey' ? 'clientCert' : 'clientKey'];
  const variable = (['legacy', 'path', 'data'] as const).find((form) => other[form] === given);
  if (variable) return `${spec[variable]}: required with ${given} (${spec.what})`;
  return file.line(
    `tls.${spec.toml}_path or tls.${spec.toml}_data: required with ${given} (${spec.what})`,
  );
}

type Shared = 'address' | 'tls' | 'apiKey' | 'metadata';
/** Options both `Connection.connect` (client) and `NativeConnection.connect` (worker) take. */
export type TemporalConnectionOptions = Pick<ConnectionOptions, Shared> &
  Pick<NativeConnectionOptions, Shared>;

/**
 * Connection options from a profile, by envconfig (which reads the certificate and key files
 * now, so their contents never enter the configuration). Temporal Cloud routes API-key
 * requests on regional endpoints by the namespace header, which envconfig does not add.
 */
export function temporalConnectionOptions(
  profile: ClientConfigProfile & { address: string },
): TemporalConnectionOptions {
  const { connectionOptions } = toClientOptions(profile);
  const { tls, apiKey, metadata } = connectionOptions;
  const options: TemporalConnectionOptions = { address: profile.address };
  if (tls) options.tls = tls === true ? {} : withoutUndefined(tls);
  if (apiKey === undefined) {
    if (metadata && Object.keys(metadata).length > 0) options.metadata = { ...metadata };
    return options;
  }
  options.apiKey = apiKey;
  options.metadata = {
    ...(profile.namespace !== undefined && { 'temporal-namespace': profile.namespace }),
    ...metadata,
  };
  return options;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
