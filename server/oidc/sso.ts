/**
 * Single sign-on for the web app: the OpenID Connect authorization code flow with PKCE
 * (openid-client). `start` sends the browser to the provider with a fresh state, nonce and
 * code challenge, remembered server-side and bound to the browser by a short-lived cookie;
 * `finish` takes them once, redeems the code, has the ID token checked (signature, iss, aud,
 * exp, nonce; its algorithm on our allow-list), maps it to a user by the linking rules and
 * starts a session. Failures return to the sign-in screen with a code saying what went wrong.
 */
import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { decodeProtectedHeader } from 'jose';
import type { Kysely } from 'kysely';
import * as oidc from 'openid-client';
import {
  SSO_LOGIN_TTL_MS,
  createSession,
  savePendingLogin,
  takePendingLogin,
  type Database,
  type SessionLifetime,
} from '../../db';
import { HttpProblem } from '../problem';
import {
  clearSsoBinding,
  setSessionCookie,
  setSsoBinding,
  ssoBindingOf,
} from '../security/cookies';
import type { OidcSettings } from '../security/options';
import { userFromClaims } from './identity';

export const CALLBACK_PATH = '/api/auth/oidc/callback';

export interface SsoDeps {
  db: Kysely<Database>;
  settings: OidcSettings & { client: NonNullable<OidcSettings['client']> };
  sessions: SessionLifetime;
  /** The public URL of Gatehouse, else the request's own origin. */
  publicUrl?: string;
  /** Why a sign-in failed on the provider's side (the person only sees a short code). */
  report: (message: string, error: unknown) => void;
}

export class SsoFlow {
  private configuration: Promise<oidc.Configuration> | undefined;

  constructor(private readonly deps: SsoDeps) {}

  /** Redirects the browser to the identity provider. */
  async start(req: Request, res: Response, returnTo: string | undefined): Promise<void> {
    let config: oidc.Configuration;
    try {
      config = await this.config();
    } catch (error) {
      this.deps.report('single sign-on: the provider cannot be discovered', error);
      res.redirect(303, '/?signin_error=sso_unavailable');
      return;
    }
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const browser = randomBytes(32).toString('base64url');
    const redirectUri = `${this.origin(req)}${CALLBACK_PATH}`;
    await savePendingLogin(this.deps.db, state, browser, {
      codeVerifier,
      nonce,
      redirectUri,
      returnTo: returnTo ?? '#/',
    });
    setSsoBinding(req, res, browser, SSO_LOGIN_TTL_MS);
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
    res.redirect(303, url.href);
  }

  /** Redeems the provider's answer, starts a session and returns to the web app. */
  async finish(req: Request, res: Response): Promise<void> {
    const back = (where: string) => res.redirect(303, `/${where}`);
    clearSsoBinding(req, res);
    const query = new URL(req.originalUrl, 'http://callback.invalid').searchParams;
    const state = query.get('state');
    const pending = state
      ? await takePendingLogin(this.deps.db, state, ssoBindingOf(req))
      : undefined;
    if (!pending) return back('?signin_error=sso_state');
    if (query.has('error')) return back('?signin_error=sso_denied');
    let claims: oidc.IDToken;
    try {
      const config = await this.config();
      const current = new URL(pending.redirectUri);
      current.search = query.toString();
      const tokens = await oidc.authorizationCodeGrant(
        config,
        current,
        {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: state!,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        },
        { redirect_uri: pending.redirectUri },
      );
      const alg = decodeProtectedHeader(tokens.id_token!).alg;
      if (!alg || !this.deps.settings.algorithms.includes(alg))
        return back('?signin_error=sso_token');
      claims = tokens.claims()!;
    } catch (error) {
      this.deps.report("single sign-on: the provider's answer was not accepted", error);
      return back(`?signin_error=${isUnreachable(error) ? 'sso_unavailable' : 'sso_token'}`);
    }
    let signedIn;
    try {
      signedIn = await userFromClaims(this.deps.db, this.deps.settings, claims);
    } catch (error) {
      if (error instanceof HttpProblem) return back(`?signin_error=${error.code}`);
      throw error;
    }
    const session = await createSession(
      this.deps.db,
      { userId: signedIn.user.id, via: 'sso', claimedRoles: signedIn.claimedRoles },
      this.deps.sessions,
    );
    setSessionCookie(req, res, session.secret, this.deps.sessions.maxMs);
    back(pending.returnTo);
  }

  private config(): Promise<oidc.Configuration> {
    const { settings } = this.deps;
    this.configuration ??= (async () => {
      const issuer = new URL(settings.issuer);
      // Plain HTTP only for a provider on this machine (development, tests).
      const insecure = issuer.protocol === 'http:' && isLoopback(issuer.hostname);
      const auth = () =>
        settings.client.secret ? oidc.ClientSecretBasic(settings.client.secret) : oidc.None();
      const discovered = await oidc.discovery(issuer, settings.client.id, undefined, auth(), {
        ...(insecure && { execute: [oidc.allowInsecureRequests] }),
        timeout: 5,
      });
      // The ID token's algorithm: the first of ours that the provider signs with.
      const server = discovered.serverMetadata();
      const supported = server.id_token_signing_alg_values_supported ?? ['RS256'];
      const alg = settings.algorithms.find((a) => supported.includes(a));
      if (!alg) throw new Error('the provider signs ID tokens with no algorithm we accept');
      const config = new oidc.Configuration(
        server,
        settings.client.id,
        { id_token_signed_response_alg: alg, [oidc.clockTolerance]: settings.clockSkewSeconds },
        auth(),
      );
      if (insecure) oidc.allowInsecureRequests(config);
      config.timeout = 5;
      return config;
    })().catch((error: unknown) => {
      this.configuration = undefined; // discover again next time
      throw error;
    });
    return this.configuration;
  }

  private origin(req: Request): string {
    if (this.deps.publicUrl) return new URL(this.deps.publicUrl).origin;
    return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
}

/** The provider could not be reached (network, timeout), as opposed to refusing. */
function isUnreachable(error: unknown): boolean {
  const cause = (error as { cause?: unknown }).cause;
  return (
    error instanceof TypeError ||
    (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) ||
    (cause !== undefined && cause !== error && isUnreachable(cause))
  );
}
