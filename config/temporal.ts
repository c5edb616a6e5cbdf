/**
 * How the API and the worker reach Temporal: a local server in plain text by default; a real
 * cluster over TLS, with an mTLS client certificate, its own CA and server name; or Temporal
 * Cloud with an API key (which implies TLS). The same options serve the client's
 * `Connection.connect` and the worker's `NativeConnection.connect`.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from '@temporalio/client';
import type { NativeConnectionOptions } from '@temporalio/worker';
import { z } from 'zod';
import { boolean, explained, readableFile, variable, word } from './variables';

/** `host:port`, `[ipv6]:port`; no scheme (gRPC, not a URL). */
const ADDRESS = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$/;
const HOST_NAME = /^[A-Za-z0-9_.-]+$/;

export const temporalFields = {
  TEMPORAL_ADDRESS: variable(
    z
      .string()
      .regex(ADDRESS)
      .refine((address) => Number(ADDRESS.exec(address)?.[2] ?? 0) <= 65535)
      .default('localhost:7233'),
    { expected: 'host:port of the Temporal frontend, e.g. temporal:7233' },
  ),
  TEMPORAL_NAMESPACE: variable(
    z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/)
      .default('default'),
    { expected: 'a namespace name (letters, digits, ".", "_", "-")' },
  ),
  TEMPORAL_TASK_QUEUE: word('gatehouse', 'a task queue name without spaces'),
  /** TLS to the frontend; unset: on when any other TLS setting or an API key is given. */
  TEMPORAL_TLS: boolean(),
  /** mTLS client certificate (PEM file); with TEMPORAL_TLS_KEY. */
  TEMPORAL_TLS_CERT: readableFile('the path of the client certificate (PEM)'),
  /** mTLS client private key (PEM file); with TEMPORAL_TLS_CERT. */
  TEMPORAL_TLS_KEY: readableFile("the path of the client certificate's private key (PEM)"),
  /** The CA that signed the server's certificate (PEM file); unset: the system's CAs. */
  TEMPORAL_TLS_CA: readableFile("the path of the server's CA certificate (PEM)"),
  /** Overrides the name checked against the server's certificate (SNI). */
  TEMPORAL_TLS_SERVER_NAME: variable(z.string().regex(HOST_NAME).optional(), {
    expected: 'a host name',
  }),
  /** Temporal Cloud API key; implies TLS. */
  TEMPORAL_API_KEY: variable(z.string().regex(/^\S+$/).optional(), {
    expected: 'an API key without spaces',
    secret: true,
  }),
};

type TemporalFields = { [K in keyof typeof temporalFields]: z.output<(typeof temporalFields)[K]> };
/** What {@link temporalConnectionOptions} reads: the address, and TLS settings when any. */
export type TemporalConnectionConfig = Pick<TemporalFields, 'TEMPORAL_ADDRESS'> &
  Partial<TemporalFields>;

/** The settings that need TLS: with them, an unset TEMPORAL_TLS means on. */
const NEEDS_TLS = [
  'TEMPORAL_API_KEY',
  'TEMPORAL_TLS_CERT',
  'TEMPORAL_TLS_CA',
  'TEMPORAL_TLS_SERVER_NAME',
] as const;

/** Cross-variable rules, for the process schemas' `superRefine`. */
export function checkTemporal(config: Partial<TemporalFields>, ctx: z.RefinementCtx): void {
  const cert = config.TEMPORAL_TLS_CERT !== undefined;
  const key = config.TEMPORAL_TLS_KEY !== undefined;
  if (cert && !key) {
    explained(
      ctx,
      "required with TEMPORAL_TLS_CERT (the certificate's private key)",
      'TEMPORAL_TLS_KEY',
    );
  }
  if (key && !cert) {
    explained(ctx, 'required with TEMPORAL_TLS_KEY (the client certificate)', 'TEMPORAL_TLS_CERT');
  }
  const needsTls = NEEDS_TLS.find((name) => config[name] !== undefined);
  if (config.TEMPORAL_TLS === false && needsTls) {
    explained(ctx, `cannot be false with ${needsTls} set, which needs TLS`, 'TEMPORAL_TLS');
  }
}

/** Whether the connection is TLS: explicitly, or implied by a TLS setting or an API key. */
export function usesTls(config: TemporalConnectionConfig): boolean {
  return config.TEMPORAL_TLS ?? NEEDS_TLS.some((name) => config[name] !== undefined);
}

type Shared = 'address' | 'tls' | 'apiKey' | 'metadata';
/** Options both `Connection.connect` (client) and `NativeConnection.connect` (worker) take. */
export type TemporalConnectionOptions = Pick<ConnectionOptions, Shared> &
  Pick<NativeConnectionOptions, Shared>;

/**
 * Connection options from the configuration. Certificate and key files are read here, at
 * connect time; their contents never enter the configuration object (which may be logged).
 */
export function temporalConnectionOptions(
  config: TemporalConnectionConfig,
): TemporalConnectionOptions {
  const options: TemporalConnectionOptions = { address: config.TEMPORAL_ADDRESS };
  if (!usesTls(config)) return options;
  options.tls = {
    ...(config.TEMPORAL_TLS_SERVER_NAME && { serverNameOverride: config.TEMPORAL_TLS_SERVER_NAME }),
    ...(config.TEMPORAL_TLS_CA && {
      serverRootCACertificate: readFileSync(config.TEMPORAL_TLS_CA),
    }),
    ...(config.TEMPORAL_TLS_CERT &&
      config.TEMPORAL_TLS_KEY && {
        clientCertPair: {
          crt: readFileSync(config.TEMPORAL_TLS_CERT),
          key: readFileSync(config.TEMPORAL_TLS_KEY),
        },
      }),
  };
  if (config.TEMPORAL_API_KEY) {
    options.apiKey = config.TEMPORAL_API_KEY;
    // Temporal Cloud routes API-key requests on regional endpoints by this header.
    if (config.TEMPORAL_NAMESPACE) {
      options.metadata = { 'temporal-namespace': config.TEMPORAL_NAMESPACE };
    }
  }
  return options;
}
