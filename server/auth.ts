/**
 * Who is calling: a bearer token (a Gatehouse token, hashed at rest; or, with OIDC configured,
 * a JWT of the identity provider) for API clients, or the web app's session cookie. A token
 * presented from an address or with a prefix that failed too often is refused before it is
 * even checked (server/security/limits.ts).
 */
import type { Request } from 'express';
import type { Kysely } from 'kysely';
import {
  authenticateToken,
  findSession,
  activeUsers,
  liveSessions,
  liveTokens,
  type ClaimedRoles,
  type Database,
  type Session,
  type SessionLifetime,
  type TokenRefusal,
  type User,
} from '../db';
import { userFromClaims, withRoles } from './oidc/identity';
import { createJwtVerifier, looksLikeJwt } from './oidc/verify';
import { HttpProblem } from './problem';
import { sessionSecretOf } from './security/cookies';
import type { RequestLimits } from './security/limits';
import type { OidcSettings } from './security/options';

/** An authenticated caller. */
export interface Principal {
  /** With the roles an identity provider's claim gives added to those an admin granted. */
  user: User;
  via: 'token' | 'jwt' | 'session';
  /** The Gatehouse token presented (`via: token`). */
  tokenId?: string;
  /** The web app's session (`via: session`). */
  session?: Session;
  claimedRoles: ClaimedRoles;
  /** When the credential ends by itself (a JWT's exp), epoch ms. */
  expiresAt?: number;
}

/** The outcome of {@link Authenticator.authenticate}: a caller, or why there is none. */
export type Authentication = { principal: Principal } | { principal?: undefined; why: string };

const REFUSED: Record<TokenRefusal, string> = {
  unknown: 'unknown or revoked token',
  revoked: 'the token was revoked',
  expired: 'the token has expired',
  inactive: 'the account is deactivated',
};

export class Authenticator {
  private readonly jwt;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly sessions: SessionLifetime,
    private readonly limits: RequestLimits,
    private readonly oidc?: OidcSettings,
  ) {
    this.jwt = oidc && createJwtVerifier(oidc);
  }

  /**
   * The caller of `req`: by its bearer token when it sends one (a wrong one is 401, never
   * an anonymous call), else by its session cookie.
   */
  async authenticate(req: Request): Promise<Authentication> {
    const header = req.headers.authorization;
    if (header !== undefined && header !== '') {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match) throw unauthorized('use "Authorization: Bearer <token>"');
      return { principal: await this.bearer(req, match[1]!) };
    }
    const secret = sessionSecretOf(req);
    if (secret === undefined) return { why: 'sign in, or send "Authorization: Bearer <token>"' };
    const session = await this.sessionOf(req);
    if (!session) return { why: 'your session has ended; sign in again' };
    return {
      principal: {
        user: withRoles(session.user, session.claimedRoles),
        via: 'session',
        session,
        ...(session.tokenId !== undefined && { tokenId: session.tokenId }),
        claimedRoles: session.claimedRoles,
      },
    };
  }

  /**
   * The web app session `req`'s cookie holds, still valid; whatever else the request carries
   * (the sign-in options tell the web app whether to ask for its session: never a 401).
   */
  async sessionOf(req: Request): Promise<Session | undefined> {
    const secret = sessionSecretOf(req);
    return secret === undefined ? undefined : findSession(this.db, secret, this.sessions);
  }

  /**
   * Whether the caller may still be served: asked again by answers that last (event streams),
   * so that revoking, expiring, signing out or deactivating ends them too.
   */
  async stillValid(principal: Principal): Promise<boolean> {
    return (await this.stillValidAll([principal]))[0]!;
  }

  /**
   * {@link stillValid} for many callers at once, in a few queries whatever their number (the
   * event streams of a process are checked together): one answer per principal, in order.
   */
  async stillValidAll(principals: readonly Principal[]): Promise<boolean[]> {
    const now = Date.now();
    const current = principals.filter((p) => p.expiresAt === undefined || p.expiresAt > now);
    const sessionIds = current.flatMap((p) => (p.session ? [p.session.id] : []));
    const others = current.filter((p) => !p.session);
    const tokenIds = others.flatMap((p) => (p.tokenId === undefined ? [] : [p.tokenId]));
    const [sessions, tokens, users] = await Promise.all([
      sessionIds.length > 0 ? liveSessions(this.db, sessionIds, this.sessions, now) : new Set(),
      tokenIds.length > 0 ? liveTokens(this.db, tokenIds, now) : new Set(),
      others.length > 0
        ? activeUsers(
            this.db,
            others.map((p) => p.user.id),
          )
        : new Set(),
    ]);
    return principals.map((p) => {
      if (p.expiresAt !== undefined && p.expiresAt <= now) return false;
      if (p.session) return sessions.has(p.session.id);
      return (p.tokenId === undefined || tokens.has(p.tokenId)) && users.has(p.user.id);
    });
  }

  private async bearer(req: Request, token: string): Promise<Principal> {
    const address = req.ip ?? 'unknown';
    await this.limits.assertMayAuthenticate(address, token);
    try {
      if (this.oidc && this.jwt && looksLikeJwt(token)) {
        const claims = await this.jwt.verify(token);
        const { user, claimedRoles } = await userFromClaims(this.db, this.oidc, claims);
        return { user, via: 'jwt', claimedRoles, expiresAt: claims.exp! * 1000 };
      }
      const check = await authenticateToken(this.db, token);
      if ('refused' in check) throw unauthorized(REFUSED[check.refused]);
      return { user: check.user, via: 'token', tokenId: check.tokenId, claimedRoles: [] };
    } catch (error) {
      if (error instanceof HttpProblem && error.status === 401) {
        await this.limits.authenticationFailed(address, token);
      }
      throw error;
    }
  }
}

export function unauthorized(message: string): HttpProblem {
  return new HttpProblem(401, 'unauthorized', message, [], { 'WWW-Authenticate': 'Bearer' });
}
