/**
 * `gatehouse users list|deactivate|activate|grant|remove-role`: account administration from
 * the command line, the same rules as the API's (never without an active admin; deactivation
 * revokes tokens, ends sessions and tells the PMO whom to reassign), audited as done by `cli`.
 */
import { changeUser, searchUsers, type UserChanges } from '../../db';
import { withDatabase } from '../database';
import { CliError } from '../errors';
import { findUser } from './tokens';

export async function listUsers(options: { search?: string; json?: boolean }): Promise<void> {
  const users = await withDatabase(async (db) => {
    const all = [];
    let cursor: string | undefined;
    do {
      const page = await searchUsers(db, { q: options.search, cursor, limit: 200 });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return all;
  });
  if (options.json) {
    console.log(JSON.stringify(users, null, 2));
    return;
  }
  if (users.length === 0) {
    console.log('no users');
    return;
  }
  for (const u of users) {
    console.log(`${u.id}  ${u.name} <${u.email}>${u.active ? '' : '  (deactivated)'}`);
  }
}

export async function change(who: string, changes: UserChanges, done: string): Promise<void> {
  const result = await withDatabase(async (db) => {
    const user = await findUser(db, who);
    return changeUser(db, user.id, changes, 'cli');
  });
  if (!result.ok && result.code === 'last_admin') {
    throw new CliError('refused: Gatehouse would be left without an active admin');
  }
  if (!result.ok) throw new CliError(`no user ${who}`);
  const { user, changed } = result;
  console.log(changed.length === 0 ? `${user.id}: nothing to change` : `${user.id}: ${done}`);
}
