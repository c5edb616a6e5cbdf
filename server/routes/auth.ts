/**
 * Signing in to the web app: single sign-on through the identity provider (a redirect there
 * and back), or a bearer token exchanged for a session; the session's CSRF token; signing out.
 * The session lives in an HttpOnly cookie, so the web app never holds a credential itself.
 */
import { createSession, deleteSession } from '../../db';
import type { Principal } from '../auth';
import type { Handlers } from '../app';
import { HttpProblem } from '../problem';
import { clearSessionCookie, setSessionCookie } from '../security/cookies';

const noSso = () =>
  new HttpProblem(404, 'sso_not_configured', 'single sign-on is not configured here');

function sessionView(principal: Principal) {
  const session = principal.session!;
  return {
    user: principal.user,
    via: session.via,
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt,
    idleExpiresAt: session.idleExpiresAt,
  };
}

export const authHandlers: Handlers<
  'authConfig' | 'startSession' | 'getSession' | 'endSession' | 'ssoLogin' | 'ssoCallback'
> = {
  async authConfig({ deps, app, req }) {
    return {
      sso: app.sso !== undefined,
      demo: deps.demoUsers !== undefined,
      // Open to anyone, a wrong bearer token included: only the session cookie counts here.
      session: (await app.auth.sessionOf(req)) !== undefined,
    };
  },
  async startSession({ deps, principal, req, res, app }) {
    if (principal!.via === 'session') {
      throw new HttpProblem(409, 'already_signed_in', 'you are signed in with a session already');
    }
    const { sessions } = app.security;
    const created = await createSession(
      deps.db,
      {
        userId: principal!.user.id,
        via: principal!.via === 'jwt' ? 'sso' : 'token',
        ...(principal!.tokenId !== undefined && { tokenId: principal!.tokenId }),
        claimedRoles: principal!.claimedRoles,
      },
      sessions,
    );
    setSessionCookie(req, res, created.secret, sessions.maxMs);
    return {
      user: principal!.user,
      via: principal!.via === 'jwt' ? 'sso' : 'token',
      csrfToken: created.csrfToken,
      expiresAt: created.expiresAt,
      idleExpiresAt: Math.min(Date.now() + sessions.idleMs, created.expiresAt),
    };
  },
  async getSession({ principal }) {
    if (!principal!.session) {
      throw new HttpProblem(404, 'no_session', 'there is no session: you called with a token');
    }
    return sessionView(principal!);
  },
  async endSession({ deps, principal, req, res }) {
    if (principal?.session) await deleteSession(deps.db, principal.session.id);
    clearSessionCookie(req, res);
    res.status(204).end();
  },
  async ssoLogin({ req, res, query, app }) {
    if (!app.sso) throw noSso();
    await app.sso.start(req, res, query.returnTo);
  },
  async ssoCallback({ req, res, app }) {
    if (!app.sso) throw noSso();
    await app.sso.finish(req, res);
  },
};
