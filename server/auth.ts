/**
 * Who is calling: a Gatehouse bearer token (hashed at rest) or, when OIDC is configured, a
 * JWT verified against the issuer's JWKS (jose) and mapped to a user by its claims.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Kysely } from 'kysely';
import type { Database, User } from '../db';
import { findUserByToken, upsertOidcUser } from '../db';
import { HttpProblem } from './problem';

export interface OidcConfig {
  issuer: string;
  audience: string;
  /** JWKS URL; default: the issuer's `/.well-known/jwks.json`... discovered lazily. */
  jwksUrl?: string;
}

export interface Authenticator {
  /** The user for an Authorization header; undefined when there is none. */
  authenticate(header: string | undefined): Promise<User | undefined>;
}

const looksLikeJwt = (token: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);

export function createAuthenticator(db: Kysely<Database>, oidc?: OidcConfig): Authenticator {
  let jwks: Promise<JWTVerifyGetKey> | undefined;
  const keys = () => {
    jwks ??= discoverJwks(oidc!).catch((error: unknown) => {
      jwks = undefined; // try discovery again on the next request
      throw error;
    });
    return jwks;
  };

  return {
    async authenticate(header) {
      if (header === undefined || header === '') return undefined;
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match) throw unauthorized('use "Authorization: Bearer <token>"');
      const token = match[1]!;
      if (oidc && looksLikeJwt(token)) {
        const getKey = await keys().catch(() => {
          throw issuerUnavailable();
        });
        const { payload } = await jwtVerify(token, getKey, {
          issuer: oidc.issuer,
          audience: oidc.audience,
        }).catch((error: unknown) => {
          throw keysUnreachable(error)
            ? issuerUnavailable()
            : unauthorized('the token is not valid for this issuer');
        });
        // Users are linked by e-mail: only an address the issuer has verified may claim one.
        const verified = payload.email_verified === true;
        const email = typeof payload.email === 'string' && verified ? payload.email : undefined;
        if (!payload.sub || !email)
          throw unauthorized('the token carries no subject or verified e-mail');
        const name = typeof payload.name === 'string' ? payload.name : email;
        return upsertOidcUser(db, { issuer: oidc.issuer, subject: payload.sub, email, name });
      }
      const user = await findUserByToken(db, token);
      if (!user) throw unauthorized('unknown or revoked token');
      return user;
    },
  };
}

async function discoverJwks(oidc: OidcConfig): Promise<JWTVerifyGetKey> {
  if (oidc.jwksUrl) return createRemoteJWKSet(new URL(oidc.jwksUrl));
  const discovery = new URL(
    '.well-known/openid-configuration',
    oidc.issuer.endsWith('/') ? oidc.issuer : `${oidc.issuer}/`,
  );
  const response = await fetch(discovery, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`OIDC discovery answered HTTP ${response.status}`);
  const document = (await response.json()) as { jwks_uri?: unknown };
  if (typeof document.jwks_uri !== 'string') throw new Error('OIDC discovery has no jwks_uri');
  return createRemoteJWKSet(new URL(document.jwks_uri));
}

/**
 * Whether jose failed to fetch the issuer's keys (network, timeout, non-200 or unparsable
 * JWKS) rather than rejecting the token: a provider outage is not the caller's fault.
 */
function keysUnreachable(error: unknown): boolean {
  if (!(error instanceof errors.JOSEError)) return true;
  return ['ERR_JOSE_GENERIC', 'ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID'].includes(error.code);
}

/** 503: a 401 would tell the client to drop a token that may well be valid. */
function issuerUnavailable(): HttpProblem {
  return new HttpProblem(
    503,
    'identity_provider_unavailable',
    'the identity provider cannot be reached to verify the token; try again shortly',
    [],
    { 'Retry-After': '5' },
  );
}

export function unauthorized(message: string): HttpProblem {
  return new HttpProblem(401, 'unauthorized', message, [], { 'WWW-Authenticate': 'Bearer' });
}
