/**
 * What the app's security depends on, as `createApp` takes it: from the API's configuration
 * (`fromApiConfig`) in production, from the tests directly. Without `limits` nothing is rate
 * limited (tests and benchmarks drive thousands of requests from one address); the processes
 * always pass their configured limits.
 */
import type { ApiConfig } from '../../config';
import type { Rate } from '../../config/variables';
import type { SessionLifetime } from '../../db';

/** Request limits; each absent one is off. */
export interface Limits {
  /** Requests to /api per client address. */
  perAddress?: Rate;
  /** Requests per signed-in user. */
  perUser?: Rate;
  /** Failed authentications per client address and per presented token's prefix. */
  authFailures?: Rate;
  /** Event streams one user may hold open at once. */
  streamsPerUser?: number;
}

export interface SecurityOptions {
  /** Where people open Gatehouse: the sign-in redirect and secure cookies follow it. */
  publicUrl?: string;
  /** Express's `trust proxy`, so the client address and TLS come from the proxy's headers. */
  trustProxy?: string;
  /** Strict-Transport-Security max-age (seconds) on answers served over TLS; 0: none. */
  hstsMaxAgeSeconds: number;
  /** Host names the API answers to; absent: any. */
  allowedHosts?: string[];
  /** Lifetime of a token made through the API. */
  tokenLifetimeMs: number;
  sessions: SessionLifetime;
  limits?: Limits;
}

export const DEFAULT_SECURITY: SecurityOptions = {
  hstsMaxAgeSeconds: 365 * 24 * 3600,
  tokenLifetimeMs: 90 * 24 * 3600 * 1000,
  sessions: { idleMs: 30 * 60 * 1000, maxMs: 12 * 3600 * 1000 },
};

/** The single sign-on settings (OIDC_*), when OIDC_ISSUER is set. */
export interface OidcSettings {
  issuer: string;
  audience: string;
  /** The issuer's key set; default: discovered. */
  jwksUrl?: string;
  /** Accepted JWS algorithms (asymmetric only). */
  algorithms: string[];
  /** Leeway for exp, nbf and iat, in seconds. */
  clockSkewSeconds: number;
  /** With a client id, people sign in to the web app through the provider. */
  client?: { id: string; secret?: string };
  /** E-mail domains whose people may sign in; absent: any. */
  emailDomains?: string[];
  /** Create a user on a first sign-in that matches no account. */
  jit: boolean;
  /** A claim whose values grant roles (e.g. `groups`); absent: roles only by an admin. */
  roles?: { claim: string; pmo: string; admin: string };
}

/** The request limits RATE_LIMIT_PER_ADDRESS, … set (`off`: that one absent), for any process. */
export function limitsFromConfig(
  config: Pick<
    ApiConfig,
    | 'RATE_LIMIT_PER_ADDRESS'
    | 'RATE_LIMIT_PER_USER'
    | 'AUTH_FAILURE_LIMIT'
    | 'EVENT_STREAMS_PER_USER'
  >,
): Limits {
  return {
    ...(config.RATE_LIMIT_PER_ADDRESS && { perAddress: config.RATE_LIMIT_PER_ADDRESS }),
    ...(config.RATE_LIMIT_PER_USER && { perUser: config.RATE_LIMIT_PER_USER }),
    ...(config.AUTH_FAILURE_LIMIT && { authFailures: config.AUTH_FAILURE_LIMIT }),
    streamsPerUser: config.EVENT_STREAMS_PER_USER,
  };
}

export function securityFromConfig(config: ApiConfig): SecurityOptions {
  const limits = limitsFromConfig(config);
  return {
    ...(config.GATEHOUSE_PUBLIC_URL && { publicUrl: config.GATEHOUSE_PUBLIC_URL }),
    ...(config.TRUST_PROXY && { trustProxy: config.TRUST_PROXY }),
    hstsMaxAgeSeconds: Math.floor(config.HSTS_MAX_AGE / 1000),
    ...(config.GATEHOUSE_ALLOWED_HOSTS && { allowedHosts: config.GATEHOUSE_ALLOWED_HOSTS }),
    tokenLifetimeMs: config.TOKEN_LIFETIME,
    sessions: { idleMs: config.SESSION_IDLE_TIMEOUT, maxMs: config.SESSION_MAX_AGE },
    limits,
  };
}

export function oidcFromConfig(config: ApiConfig): OidcSettings | undefined {
  if (!config.OIDC_ISSUER) return undefined;
  return {
    issuer: config.OIDC_ISSUER,
    audience: config.OIDC_AUDIENCE!,
    ...(config.OIDC_JWKS_URL && { jwksUrl: config.OIDC_JWKS_URL }),
    algorithms: config.OIDC_ALGORITHMS ?? ['RS256', 'ES256'],
    clockSkewSeconds: Math.floor(config.OIDC_CLOCK_SKEW / 1000),
    ...(config.OIDC_CLIENT_ID && {
      client: {
        id: config.OIDC_CLIENT_ID,
        ...(config.OIDC_CLIENT_SECRET && { secret: config.OIDC_CLIENT_SECRET }),
      },
    }),
    ...(config.OIDC_EMAIL_DOMAINS && {
      emailDomains: config.OIDC_EMAIL_DOMAINS.map((d) => d.toLowerCase()),
    }),
    jit: config.OIDC_JIT,
    ...(config.OIDC_ROLES_CLAIM && {
      roles: {
        claim: config.OIDC_ROLES_CLAIM,
        pmo: config.OIDC_PMO_ROLE,
        admin: config.OIDC_ADMIN_ROLE,
      },
    }),
  };
}
