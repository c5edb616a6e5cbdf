/**
 * JWTs from the configured identity provider, checked as OWASP ASVS V9 asks: the signature
 * with the issuer's published keys (JWKS), only allow-listed asymmetric algorithms, the token
 * type (`typ` header), `iss` exactly, `aud` containing ours, `exp` present and not passed,
 * `nbf` passed, `sub` present, all within a bounded clock skew (jose).
 */
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import { HttpProblem } from '../problem';
import { RETRY_AFTER_SECONDS } from '../unavailable';
import type { OidcSettings } from '../security/options';

/** Token types accepted as bearer tokens: an ID token (`JWT`) or an RFC 9068 access token. */
const ACCEPTED_TYPES = ['jwt', 'at+jwt'];

export interface JwtVerifier {
  /** The verified claims; throws 401 for an untrusted token, 503 when keys are unreachable. */
  verify(token: string): Promise<JWTPayload>;
}

export const looksLikeJwt = (token: string): boolean => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);

export function createJwtVerifier(settings: OidcSettings): JwtVerifier {
  let jwks: Promise<JWTVerifyGetKey> | undefined;
  const keys = () => {
    jwks ??= discoverJwks(settings).catch((error: unknown) => {
      jwks = undefined; // try discovery again on the next request
      throw error;
    });
    return jwks;
  };
  return {
    async verify(token) {
      checkType(token);
      const getKey = await keys().catch(() => {
        throw issuerUnavailable();
      });
      const { payload } = await jwtVerify(token, getKey, {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: settings.algorithms,
        clockTolerance: settings.clockSkewSeconds,
        requiredClaims: ['exp', 'sub'],
      }).catch((error: unknown) => {
        if (keysUnreachable(error)) throw issuerUnavailable();
        throw untrusted(reasonOf(error));
      });
      return payload;
    },
  };
}

function checkType(token: string): void {
  let typ: unknown;
  try {
    typ = decodeProtectedHeader(token).typ;
  } catch {
    throw untrusted('it is not a JWT');
  }
  const normalized = typeof typ === 'string' ? typ.toLowerCase().replace(/^application\//, '') : '';
  if (!ACCEPTED_TYPES.includes(normalized)) {
    throw untrusted('its type (typ) is not JWT or at+jwt');
  }
}

/** What was wrong, in words a client's developer can act on (never the token itself). */
function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'it has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'exp' && error.reason === 'missing') return 'it has no expiry (exp)';
    if (error.claim === 'nbf') return 'it is not valid yet (nbf)';
    if (error.claim === 'iss') return 'it is from another issuer';
    if (error.claim === 'aud') return 'it is meant for another audience';
    return `its ${error.claim} claim is ${error.reason === 'missing' ? 'missing' : 'not valid'}`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'its algorithm is not allowed';
  return 'its signature cannot be verified with the issuer\u2019s keys';
}

async function discoverJwks(settings: OidcSettings): Promise<JWTVerifyGetKey> {
  if (settings.jwksUrl) return createRemoteJWKSet(new URL(settings.jwksUrl));
  const discovery = new URL(
    '.well-known/openid-configuration',
    settings.issuer.endsWith('/') ? settings.issuer : `${settings.issuer}/`,
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
export function issuerUnavailable(): HttpProblem {
  return new HttpProblem(
    503,
    'identity_provider_unavailable',
    'the identity provider cannot be reached to verify the token; try again shortly',
    [],
    { 'Retry-After': String(RETRY_AFTER_SECONDS) },
  );
}

function untrusted(reason: string): HttpProblem {
  return new HttpProblem(401, 'unauthorized', `the token is not accepted: ${reason}`, [], {
    'WWW-Authenticate': 'Bearer',
  });
}
