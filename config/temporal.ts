/**
 * How the API, the worker and the CLI reach Temporal: the variables, each checked on its own.
 * They are Temporal's standard names (those the Temporal CLI and every SDK read), plus three
 * older Gatehouse names for the TLS files, kept as aliases. @temporalio/envconfig merges them
 * over a TOML profile file and builds the connection (./temporal-profile.ts); the task queue
 * is Gatehouse's own.
 */
import { z } from 'zod';
import { boolean, explained, readableFile, variable, word } from './variables';

/** `host:port`, `[ipv6]:port`; no scheme (gRPC, not a URL). */
const ADDRESS = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$/;

/** A rule and what it expects: one for a variable and the same key of a profile file. */
export const RULES = {
  address: {
    schema: z
      .string()
      .regex(ADDRESS)
      .refine((address) => Number(ADDRESS.exec(address)?.[2] ?? 0) <= 65535),
    expected: 'host:port of the Temporal frontend, e.g. temporal:7233',
  },
  namespace: {
    schema: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/),
    expected: 'a namespace name (letters, digits, ".", "_", "-")',
  },
  serverName: { schema: z.string().regex(/^[A-Za-z0-9_.-]+$/), expected: 'a host name' },
  apiKey: { schema: z.string().regex(/^\S+$/), expected: 'an API key without spaces' },
  pem: { schema: z.string().regex(/-----BEGIN [A-Z0-9 ]+-----/), expected: 'PEM text' },
} as const;

/**
 * The three TLS files: each by Gatehouse's older name (a path), envconfig's path name or its
 * data name (the PEM text itself), and the key it has in a profile's `[tls]` table.
 */
export const TLS_FILES = {
  clientCert: {
    legacy: 'TEMPORAL_TLS_CERT',
    path: 'TEMPORAL_TLS_CLIENT_CERT_PATH',
    data: 'TEMPORAL_TLS_CLIENT_CERT_DATA',
    toml: 'client_cert',
    what: 'the client certificate',
  },
  clientKey: {
    legacy: 'TEMPORAL_TLS_KEY',
    path: 'TEMPORAL_TLS_CLIENT_KEY_PATH',
    data: 'TEMPORAL_TLS_CLIENT_KEY_DATA',
    toml: 'client_key',
    what: "the certificate's private key",
  },
  serverCACert: {
    legacy: 'TEMPORAL_TLS_CA',
    path: 'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
    data: 'TEMPORAL_TLS_SERVER_CA_CERT_DATA',
    toml: 'server_ca_cert',
    what: "the server's CA certificate",
  },
} as const;
export type TlsFile = keyof typeof TLS_FILES;

const pem = (expected: string, options: { secret?: boolean } = {}) =>
  variable(RULES.pem.schema.optional(), { expected: `${expected} as PEM text`, ...options });

export const temporalFields = {
  /** Unset: the profile's address, else localhost:7233. */
  TEMPORAL_ADDRESS: variable(RULES.address.schema.optional(), {
    expected: RULES.address.expected,
  }),
  /** Unset: the profile's namespace, else `default`. */
  TEMPORAL_NAMESPACE: variable(RULES.namespace.schema.optional(), {
    expected: RULES.namespace.expected,
  }),
  TEMPORAL_TASK_QUEUE: word('gatehouse', 'a task queue name without spaces'),
  /** The TOML profile file; unset: temporalio/temporal.toml in the user's config folder, if any. */
  TEMPORAL_CONFIG_FILE: readableFile('the path of a Temporal TOML config file'),
  /** The profile of that file; unset: `default`. */
  TEMPORAL_PROFILE: variable(
    z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/)
      .optional(),
    { expected: 'a profile name (letters, digits, ".", "_", "-")' },
  ),
  /** TLS to the frontend; unset: on when any other TLS setting or an API key is given. */
  TEMPORAL_TLS: boolean(),
  /** mTLS client certificate (PEM file); with a private key. */
  TEMPORAL_TLS_CLIENT_CERT_PATH: readableFile('the path of the client certificate (PEM)'),
  TEMPORAL_TLS_CLIENT_CERT_DATA: pem('the client certificate'),
  /** mTLS client private key (PEM file); with a client certificate. */
  TEMPORAL_TLS_CLIENT_KEY_PATH: readableFile(
    "the path of the client certificate's private key (PEM)",
  ),
  TEMPORAL_TLS_CLIENT_KEY_DATA: pem("the client certificate's private key", { secret: true }),
  /** The CA that signed the server's certificate; unset: the system's CAs. */
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: readableFile("the path of the server's CA certificate (PEM)"),
  TEMPORAL_TLS_SERVER_CA_CERT_DATA: pem("the server's CA certificate"),
  /** Older name of TEMPORAL_TLS_CLIENT_CERT_PATH. */
  TEMPORAL_TLS_CERT: readableFile('the path of the client certificate (PEM)'),
  /** Older name of TEMPORAL_TLS_CLIENT_KEY_PATH. */
  TEMPORAL_TLS_KEY: readableFile("the path of the client certificate's private key (PEM)"),
  /** Older name of TEMPORAL_TLS_SERVER_CA_CERT_PATH. */
  TEMPORAL_TLS_CA: readableFile("the path of the server's CA certificate (PEM)"),
  /** Overrides the name checked against the server's certificate (SNI). */
  TEMPORAL_TLS_SERVER_NAME: variable(RULES.serverName.schema.optional(), {
    expected: RULES.serverName.expected,
  }),
  /**
   * A standard name the TypeScript SDK cannot honour (it always checks the server's name):
   * refused when true rather than ignored.
   */
  TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: variable(
    z
      .stringbool()
      .superRefine((disabled, ctx) => {
        if (disabled) {
          explained(
            ctx,
            "not supported by the Temporal TypeScript SDK: set TEMPORAL_TLS_SERVER_NAME to a name in the server's certificate instead",
          );
        }
      })
      .optional(),
    { expected: 'false (the server name is always checked)' },
  ),
  /** Temporal Cloud API key; implies TLS. */
  TEMPORAL_API_KEY: variable(RULES.apiKey.schema.optional(), {
    expected: RULES.apiKey.expected,
    secret: true,
  }),
};

type TemporalFields = { [K in keyof typeof temporalFields]: z.output<(typeof temporalFields)[K]> };
/** The Temporal variables as parsed, before the profile file is merged in. */
export type TemporalEnv = Partial<TemporalFields>;

/** The variable that gives TLS file `file`, if any: the older name first. */
export function envSource(config: TemporalEnv, file: TlsFile): string | undefined {
  const { legacy, path, data } = TLS_FILES[file];
  return [legacy, path, data].find((name) => config[name] !== undefined);
}

/**
 * Rules between variables, for the process schemas' `superRefine`: one source per TLS file.
 * An older name beside its standard one is accepted only when both say the same.
 */
export function checkTemporal(config: TemporalEnv, ctx: z.RefinementCtx): void {
  for (const { legacy, path, data, what } of Object.values(TLS_FILES)) {
    const set = [legacy, path, data].filter((name) => config[name] !== undefined);
    const [first, second] = set;
    if (!first || !second) continue;
    if (set.length === 2 && data !== second && config[legacy] === config[path]) continue;
    explained(ctx, `conflicts with ${second} (both give ${what}): set one of them`, first);
  }
}
