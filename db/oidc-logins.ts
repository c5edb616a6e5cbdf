/**
 * Single sign-ons on their way through the identity provider: what the callback needs (the
 * PKCE verifier, the nonce, where to return) under the hash of the `state` parameter, bound to
 * the browser that started it. Each is taken once; unused ones expire.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema';

/** How long a sign-in may take at the identity provider. */
export const SSO_LOGIN_TTL_MS = 10 * 60 * 1000;

export interface PendingLogin {
  codeVerifier: string;
  nonce: string;
  redirectUri: string;
  returnTo: string;
}

export const sha256 = (text: string): string =>
  createHash('sha256').update(text, 'utf8').digest('hex');

export async function savePendingLogin(
  db: Kysely<Database>,
  state: string,
  browser: string,
  login: PendingLogin,
  at: number = Date.now(),
): Promise<void> {
  // Housekeeping on the way: sign-ins abandoned at the provider.
  await db
    .deleteFrom('oidc_logins')
    .where('created_at', '<', at - SSO_LOGIN_TTL_MS)
    .execute();
  await db
    .insertInto('oidc_logins')
    .values({
      state_hash: sha256(state),
      browser_hash: sha256(browser),
      code_verifier: login.codeVerifier,
      nonce: login.nonce,
      redirect_uri: login.redirectUri,
      return_to: login.returnTo,
      created_at: at,
    })
    .execute();
}

/**
 * Takes the sign-in `state` names (it can be taken once): undefined when unknown, expired or
 * started in another browser.
 */
export async function takePendingLogin(
  db: Kysely<Database>,
  state: string,
  browser: string | undefined,
  at: number = Date.now(),
): Promise<PendingLogin | undefined> {
  const row = await db
    .deleteFrom('oidc_logins')
    .where('state_hash', '=', sha256(state))
    .returningAll()
    .executeTakeFirst();
  if (!row || browser === undefined || row.browser_hash !== sha256(browser)) return undefined;
  if (row.created_at < at - SSO_LOGIN_TTL_MS) return undefined;
  return {
    codeVerifier: row.code_verifier,
    nonce: row.nonce,
    redirectUri: row.redirect_uri,
    returnTo: row.return_to,
  };
}
