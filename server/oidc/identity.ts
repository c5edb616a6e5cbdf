/**
 * From verified claims to a Gatehouse user, by the rules an administrator sets: a verified
 * e-mail in an allowed domain, linking (db/users.ts `linkOidcIdentity`: never a privilege by
 * matching an e-mail), just-in-time creation on or off, and roles from a configured claim on
 * top of those an admin granted.
 */
import type { JWTPayload } from 'jose';
import type { Kysely } from 'kysely';
import { linkOidcIdentity, type ClaimedRoles, type Database, type User } from '../../db';
import { HttpProblem } from '../problem';
import type { OidcSettings } from '../security/options';

export interface OidcUser {
  /** The user with the claimed roles added to those an admin granted. */
  user: User;
  claimedRoles: ClaimedRoles;
}

const REFUSALS = {
  not_provisioned: (email: string) =>
    `there is no Gatehouse account for ${email}; ask an administrator to create one`,
  privileged_account: (email: string) =>
    `the account of ${email} holds the PMO or admin role, which is never gained by matching ` +
    'an e-mail: an administrator removes the role, you sign in once, then they grant it again',
  linked_elsewhere: (email: string) =>
    `the account of ${email} is already linked to another sign-in of this identity provider`,
} as const;

export async function userFromClaims(
  db: Kysely<Database>,
  settings: OidcSettings,
  claims: JWTPayload,
): Promise<OidcUser> {
  if (typeof claims.sub !== 'string' || claims.sub === '') {
    throw signInRefused(401, 'unauthorized', 'the token carries no subject (sub)');
  }
  // Only an address the provider has verified may be matched with an account.
  const email = claims.email_verified === true ? claims.email : undefined;
  if (typeof email !== 'string' || !email.includes('@')) {
    throw signInRefused(401, 'unauthorized', 'the token carries no verified e-mail');
  }
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  if (settings.emailDomains && !settings.emailDomains.includes(domain)) {
    throw signInRefused(
      403,
      'sso_domain_not_allowed',
      `people of ${domain} cannot sign in to this Gatehouse`,
    );
  }
  const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim() : email;
  const linked = await linkOidcIdentity(
    db,
    { issuer: settings.issuer, subject: claims.sub, email, name: name.slice(0, 200) },
    { jit: settings.jit },
  );
  if (!linked.ok) throw signInRefused(403, `sso_${linked.code}`, REFUSALS[linked.code](email));
  if (!linked.user.active) throw signInRefused(401, 'unauthorized', 'the account is deactivated');
  const claimedRoles = rolesFromClaims(settings, claims);
  return { user: withRoles(linked.user, claimedRoles), claimedRoles };
}

/** The user with roles from the identity provider's claim added. */
export function withRoles(user: User, claimed: ClaimedRoles): User {
  return {
    ...user,
    pmo: user.pmo || claimed.includes('pmo'),
    admin: user.admin || claimed.includes('admin'),
  };
}

/** The roles the configured claim gives: a list of values, or a string of them. */
export function rolesFromClaims(settings: OidcSettings, claims: JWTPayload): ClaimedRoles {
  if (!settings.roles) return [];
  let value: unknown = claims;
  for (const part of settings.roles.claim.split('.')) {
    value =
      typeof value === 'object' && value !== null
        ? (value as Record<string, unknown>)[part]
        : undefined;
  }
  const values = Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : typeof value === 'string'
      ? value.split(/[\s,]+/)
      : [];
  const roles: ClaimedRoles = [];
  if (values.includes(settings.roles.pmo)) roles.push('pmo');
  if (values.includes(settings.roles.admin)) roles.push('admin');
  return roles;
}

function signInRefused(status: 401 | 403, code: string, message: string): HttpProblem {
  return new HttpProblem(
    status,
    code,
    message,
    [],
    status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {},
  );
}
