/**
 * The configuration of every process, from environment variables, validated once at start-up:
 * the API (`server/main.ts`), the worker (`worker/main.ts`) and the embedded default
 * (`npm start`). Shared variables are the same schema in each, so they mean and check the same
 * everywhere; README's Configuration table documents them (test/ops/env-docs.test.ts).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { WEBHOOK_FORMATS } from '../activities/format';
import { isWebhookSecret, WEBHOOK_SECRET_EXPECTED } from '../activities/webhook-signature';
import { DEFAULT_DATABASE_URL } from '../db/database';
import { checkSecurity, securityFields } from './security';
import { checkTemporal, temporalFields } from './temporal';
import { withTemporal, type WithTemporal } from './temporal-profile';
import {
  databaseUrl,
  explained,
  oneOf,
  optionalDatabaseUrl,
  optionalText,
  optionalUrl,
  parseEnv,
  waitDuration,
  port,
  variable,
  word,
} from './variables';

export { ConfigError } from './variables';
export {
  temporalConnectionOptions,
  withTemporal,
  type TemporalConnectionOptions,
  type TemporalProfile,
  type TemporalTarget,
  type WithTemporal,
} from './temporal-profile';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Variables more than one process reads. */
const shared = {
  DATABASE_URL: databaseUrl(DEFAULT_DATABASE_URL),
  /**
   * Most PostgreSQL connections one process holds (SQLite: one file, no pool). Every API and
   * worker process and Temporal share the server's max_connections (README, "Connection budget").
   */
  DATABASE_POOL_SIZE: variable(z.coerce.number().int().min(1).max(1000).default(10), {
    expected: 'an integer 1..1000',
  }),
  /**
   * How long a process that starts while PostgreSQL is unreachable (down, starting up) waits
   * for it before it fails; 0: it fails at once. SQLite never waits.
   */
  DATABASE_WAIT: waitDuration(
    '60s',
    '24h',
    'a duration up to 24h, like 60s or 5m (0: do not wait)',
  ),
  TEMPORAL_TASK_QUEUE: temporalFields.TEMPORAL_TASK_QUEUE,
  /** Fixes the bootstrap admin token (automation); at least 24 characters. */
  GATEHOUSE_ADMIN_TOKEN: variable(
    z
      .string()
      .regex(/^\S{24,}$/)
      .optional(),
    {
      expected: 'a token of at least 24 characters without spaces',
      secret: true,
    },
  ),
  /** Webhook for notifications (Slack-compatible `text`); unset: no webhook. */
  WEBHOOK_URL: optionalUrl(/^https?$/, 'an http(s) URL', { secret: true }),
  /** The webhook's payload: Slack-compatible blocks or a Microsoft Teams Adaptive Card. */
  WEBHOOK_FORMAT: oneOf(WEBHOOK_FORMATS, 'slack'),
  /** Signs each webhook POST (Standard Webhooks headers); unset: unsigned. */
  WEBHOOK_SECRET: variable(z.string().refine(isWebhookSecret).optional(), {
    expected: WEBHOOK_SECRET_EXPECTED,
    secret: true,
  }),
  /**
   * Where people open Gatehouse: the SSO redirect (API) and the links of e-mails and webhooks
   * to the step to act on (worker) are built from it.
   */
  GATEHOUSE_PUBLIC_URL: securityFields.GATEHOUSE_PUBLIC_URL,
  /** SMTP server for notification e-mail, e.g. smtp://mail:587; unset: no e-mail. */
  SMTP_URL: optionalUrl(/^smtps?$/, 'an smtp:// or smtps:// URL', { secret: true }),
  MAIL_FROM: variable(
    z
      .string()
      .regex(/^([^<>]*<[^<>\s@]+@[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+)$/)
      .default('Gatehouse <gatehouse@localhost>'),
    { expected: 'an e-mail address, optionally as Name <address@host>' },
  ),
  /** Structured (JSON) log lines at this level and above. */
  LOG_LEVEL: oneOf(LOG_LEVELS, 'info'),
  /**
   * Where the worker looks for the prebuilt workflow bundle (`npm run workflows:bundle [dir]`);
   * unset: dist/workflows. Used only if made from these workflows, unchanged; else it bundles.
   */
  WORKFLOW_BUNDLE_DIR: optionalText('a folder path'),
};

/** The HTTP API (`gatehouse api`). */
export const ApiEnv = z
  .object({
    PORT: port(8080),
    HOST: word('0.0.0.0', 'a host name or IP address to listen on'),
    DATABASE_URL: shared.DATABASE_URL,
    DATABASE_POOL_SIZE: shared.DATABASE_POOL_SIZE,
    DATABASE_WAIT: shared.DATABASE_WAIT,
    ...temporalFields,
    GATEHOUSE_ADMIN_TOKEN: shared.GATEHOUSE_ADMIN_TOKEN,
    /** The built designer, served at `/`; unset: no designer. */
    GATEHOUSE_STATIC_DIR: variable(
      z
        .string()
        .superRefine((dir, ctx) => {
          if (!existsSync(path.join(dir, 'index.html'))) {
            explained(ctx, `${JSON.stringify(dir)} holds no built designer (index.html)`);
          }
        })
        .optional(),
      { expected: 'the folder of the built designer (designer/dist)' },
    ),
    OIDC_ISSUER: optionalUrl(/^https?$/, 'the OpenID Connect issuer URL'),
    OIDC_AUDIENCE: optionalText('the audience the JWTs carry'),
    OIDC_JWKS_URL: optionalUrl(/^https?$/, "the issuer's JWKS URL"),
    BODY_LIMIT: variable(
      z
        .string()
        .regex(/^\d+(b|kb|mb)$/i)
        .default('256kb'),
      { expected: 'a size like 256kb or 1mb' },
    ),
    TEMPORAL_UI_URL: optionalUrl(/^https?$/, 'the http(s) URL of the Temporal Web UI'),
    /** How long an action waits for its project's workflow before answering 503. */
    ACTION_TIMEOUT: variable(
      z
        .string()
        .regex(/^\d{1,6}(ms|s)$/)
        .default('10s')
        .transform((v) =>
          v.endsWith('ms') ? Number(v.slice(0, -2)) : Number(v.slice(0, -1)) * 1000,
        )
        .pipe(z.number().min(100).max(600_000)),
      { expected: 'a duration from 100ms to 600s, like 10s or 2500ms' },
    ),
    LOG_LEVEL: shared.LOG_LEVEL,
    ...securityFields,
    /** The API's Prometheus endpoint, on a port of its own (never the public one); 0: off. */
    API_METRICS_PORT: port(9465, { expected: 'an integer 0..65535 (0: no metrics endpoint)' }),
  })
  .superRefine((config, ctx) => {
    checkTemporal(config, ctx);
    checkSecurity(config, ctx);
    if (config.OIDC_ISSUER && !config.OIDC_AUDIENCE) {
      explained(ctx, 'required when OIDC_ISSUER is set', 'OIDC_AUDIENCE');
    }
  });
/** With the Temporal profile resolved (./temporal-profile.ts). */
export type ApiConfig = WithTemporal<z.output<typeof ApiEnv>>;

/** A worker (`gatehouse worker`): workflows and notification activities. */
export const WorkerEnv = z
  .object({
    ...temporalFields,
    DATABASE_URL: shared.DATABASE_URL,
    DATABASE_POOL_SIZE: shared.DATABASE_POOL_SIZE,
    DATABASE_WAIT: shared.DATABASE_WAIT,
    WEBHOOK_URL: shared.WEBHOOK_URL,
    WEBHOOK_FORMAT: shared.WEBHOOK_FORMAT,
    WEBHOOK_SECRET: shared.WEBHOOK_SECRET,
    GATEHOUSE_PUBLIC_URL: shared.GATEHOUSE_PUBLIC_URL,
    SMTP_URL: shared.SMTP_URL,
    MAIL_FROM: shared.MAIL_FROM,
    LOG_LEVEL: shared.LOG_LEVEL,
    WORKFLOW_BUNDLE_DIR: shared.WORKFLOW_BUNDLE_DIR,
    /**
     * The worker's operations port: GET /metrics (its own and the Temporal SDK's) and
     * GET /healthz (fails once it has lost Temporal or the database); 0: off.
     */
    WORKER_METRICS_PORT: port(9464, {
      expected: 'an integer 0..65535 (0: no metrics or health endpoint)',
    }),
    /**
     * How many projects' workflows the worker keeps in memory between their tasks (the SDK's
     * `maxCachedWorkflows`); unset: the SDK's default, from the heap size. README, "Sizing a
     * worker", gives the memory per cached project.
     */
    WORKER_CACHED_WORKFLOWS: variable(z.coerce.number().int().min(2).max(1_000_000).optional(), {
      expected: 'an integer 2..1000000',
    }),
  })
  .superRefine(checkTemporal);
export type WorkerConfig = WithTemporal<z.output<typeof WorkerEnv>>;

/**
 * `npm start`: the embedded default of SPEC §5. Everything under ./data, the API on
 * 127.0.0.1:8080, a Temporal dev server on 7233 with its Web UI on 8233 (plain text, no TLS).
 */
export const StartEnv = z.object({
  /** Where the embedded default keeps Temporal's and the app's SQLite files. */
  GATEHOUSE_DATA_DIR: variable(z.string().default('./data'), { expected: 'a folder path' }),
  /** The API and the designer. */
  PORT: port(8080, { min: 1 }),
  /** Loopback by default: demo users' tokens are served to anyone who can reach the port. */
  HOST: word('127.0.0.1', 'a host name or IP address to listen on'),
  /** The Temporal dev server's gRPC port. */
  TEMPORAL_PORT: port(7233, { min: 1 }),
  /** The Temporal Web UI's port. */
  TEMPORAL_UI_PORT: port(8233, { min: 1 }),
  /** Unset: `sqlite:<data dir>/gatehouse.db`. */
  DATABASE_URL: optionalDatabaseUrl(),
  DATABASE_WAIT: shared.DATABASE_WAIT,
  TEMPORAL_TASK_QUEUE: shared.TEMPORAL_TASK_QUEUE,
  GATEHOUSE_ADMIN_TOKEN: shared.GATEHOUSE_ADMIN_TOKEN,
  WEBHOOK_URL: shared.WEBHOOK_URL,
  WEBHOOK_FORMAT: shared.WEBHOOK_FORMAT,
  WEBHOOK_SECRET: shared.WEBHOOK_SECRET,
  /** Unset: `http://localhost:<PORT>`, the embedded default's own address. */
  GATEHOUSE_PUBLIC_URL: shared.GATEHOUSE_PUBLIC_URL,
  SMTP_URL: shared.SMTP_URL,
  MAIL_FROM: shared.MAIL_FROM,
  WORKFLOW_BUNDLE_DIR: shared.WORKFLOW_BUNDLE_DIR,
  /**
   * Demo users and `GET /api/demo/users` (on unless 0): loopback only, with the Host header
   * checked on every request.
   */
  GATEHOUSE_DEMO: variable(z.stringbool().default(true), { expected: '1 (demo users) or 0' }),
  /** Host names besides localhost and loopback addresses that the demo answers to. */
  GATEHOUSE_ALLOWED_HOSTS: securityFields.GATEHOUSE_ALLOWED_HOSTS,
  /** The API's request limits, as `gatehouse api` reads them. */
  RATE_LIMIT_PER_ADDRESS: securityFields.RATE_LIMIT_PER_ADDRESS,
  RATE_LIMIT_PER_USER: securityFields.RATE_LIMIT_PER_USER,
  AUTH_FAILURE_LIMIT: securityFields.AUTH_FAILURE_LIMIT,
  EVENT_STREAMS_PER_USER: securityFields.EVENT_STREAMS_PER_USER,
});

export interface StartConfig extends Omit<z.output<typeof StartEnv>, 'DATABASE_URL'> {
  /** Absolute path of the data folder. */
  dataDir: string;
  DATABASE_URL: string;
}

export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  return withTemporal(parseEnv(ApiEnv, env), env);
}

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return withTemporal(parseEnv(WorkerEnv, env), env);
}

export function loadStartConfig(env: NodeJS.ProcessEnv = process.env): StartConfig {
  const config = parseEnv(StartEnv, env);
  const dataDir = path.resolve(config.GATEHOUSE_DATA_DIR);
  return {
    ...config,
    dataDir,
    DATABASE_URL: config.DATABASE_URL ?? `sqlite:${path.join(dataDir, 'gatehouse.db')}`,
  };
}
