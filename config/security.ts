/**
 * The API's security settings (README "Configuration"): single sign-on and how its accounts
 * are linked, token and session lifetimes, request limits, the proxy in front and the headers
 * that depend on it. Checked at start-up like every other variable.
 */
import { z } from 'zod';
import {
  duration,
  explained,
  list,
  optionalText,
  optionalUrl,
  rate,
  variable,
  word,
} from './variables';

const HOST_NAME = /^([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])$/;
/** Asymmetric JWS algorithms only: a shared-secret (HS*) or `none` token is never accepted. */
const SIGNATURE_ALGORITHM = /^((RS|PS|ES)(256|384|512)|EdDSA)$/;

export const securityFields = {
  /** Where people reach Gatehouse (the sign-in redirect, secure cookies behind a proxy). */
  GATEHOUSE_PUBLIC_URL: optionalUrl(/^https?$/, 'the http(s) URL people open Gatehouse at'),
  /** Host names the API answers to (a DNS-rebinding guard); unset: any (demo: loopback). */
  GATEHOUSE_ALLOWED_HOSTS: list(
    HOST_NAME,
    'host names separated by commas, e.g. gatehouse.example.com',
  ),
  /** Where `gatehouse api` writes the first admin token, once. */
  GATEHOUSE_ADMIN_TOKEN_FILE: variable(z.string().default('./data/admin-token'), {
    expected: 'a file path',
  }),
  /** Express's `trust proxy`: whose X-Forwarded-For/-Proto to believe. */
  TRUST_PROXY: variable(
    z
      .string()
      .regex(/^(loopback|uniquelocal|linklocal|\d{1,2}|[0-9A-Fa-f.:/]+(,\s*[0-9A-Fa-f.:/]+)*)$/)
      .optional(),
    { expected: 'loopback, a number of proxies, or proxy addresses (CIDR) separated by commas' },
  ),
  /** Strict-Transport-Security on answers served over TLS; 0s: none. */
  HSTS_MAX_AGE: duration('365d', '0s', '730d'),
  TOKEN_LIFETIME: duration('90d', '1h', '3650d'),
  SESSION_IDLE_TIMEOUT: duration('30m', '1m', '24h'),
  SESSION_MAX_AGE: duration('12h', '5m', '30d'),
  RATE_LIMIT_PER_ADDRESS: rate('600/1m'),
  RATE_LIMIT_PER_USER: rate('300/1m'),
  AUTH_FAILURE_LIMIT: rate('10/15m'),
  EVENT_STREAMS_PER_USER: variable(
    z
      .string()
      .regex(/^\d{1,4}$/)
      .default('20')
      .transform(Number)
      .pipe(z.number().min(1)),
    { expected: 'an integer 1..9999' },
  ),
  OIDC_CLIENT_ID: optionalText('the client id registered at the identity provider'),
  OIDC_CLIENT_SECRET: optionalText('the client secret', { secret: true }),
  OIDC_ALGORITHMS: list(
    SIGNATURE_ALGORITHM,
    'asymmetric JWS algorithms separated by commas (RS256, PS256, ES256, EdDSA, …)',
  ),
  OIDC_CLOCK_SKEW: duration('60s', '0s', '5m'),
  OIDC_EMAIL_DOMAINS: list(
    /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/,
    'e-mail domains separated by commas, e.g. example.com',
  ),
  OIDC_JIT: variable(z.stringbool().default(false), { expected: 'true or false' }),
  OIDC_ROLES_CLAIM: optionalText('a claim name, e.g. groups or realm_access.roles'),
  OIDC_PMO_ROLE: word('gatehouse-pmo', 'a role or group name without spaces'),
  OIDC_ADMIN_ROLE: word('gatehouse-admin', 'a role or group name without spaces'),
};

type SecurityConfig = z.output<z.ZodObject<typeof securityFields>> & {
  OIDC_ISSUER?: string | undefined;
};

/** Checks between the security variables (run by the API's schema). */
export function checkSecurity(config: SecurityConfig, ctx: z.RefinementCtx): void {
  if (config.OIDC_CLIENT_ID && !config.OIDC_ISSUER) {
    explained(ctx, 'needs OIDC_ISSUER (the provider to sign in with)', 'OIDC_CLIENT_ID');
  }
  if (config.OIDC_CLIENT_SECRET && !config.OIDC_CLIENT_ID) {
    explained(ctx, 'needs OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET');
  }
  if (config.SESSION_IDLE_TIMEOUT > config.SESSION_MAX_AGE) {
    explained(ctx, 'cannot be longer than SESSION_MAX_AGE', 'SESSION_IDLE_TIMEOUT');
  }
}
