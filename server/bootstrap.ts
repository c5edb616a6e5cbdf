/**
 * First-start duties shared by `server/main.ts` and `npm start`: the built-in templates are
 * published as version 1, and an admin exists. The admin token is printed once, when created
 * (or taken from GATEHOUSE_ADMIN_TOKEN, which is never printed).
 */
import type { Kysely } from 'kysely';
import {
  createToken,
  importToken,
  insertUser,
  listUsers,
  seedTemplate,
  type Database,
} from '../db';
import { BUILTIN_TEMPLATES } from '../workflows/model';

export const ADMIN_ID = 'admin';

export async function bootstrap(
  db: Kysely<Database>,
  options: { adminToken?: string } = {},
): Promise<{ createdAdminToken?: string }> {
  for (const template of BUILTIN_TEMPLATES) await seedTemplate(db, template);
  const admins = (await listUsers(db)).filter((u) => u.admin);
  if (admins.length === 0) {
    await insertUser(db, {
      id: ADMIN_ID,
      name: 'Administrator',
      email: 'admin@gatehouse.local',
      admin: true,
      pmo: true,
    });
  }
  if (options.adminToken) {
    await importToken(db, admins[0]?.id ?? ADMIN_ID, options.adminToken, 'GATEHOUSE_ADMIN_TOKEN');
    return {};
  }
  if (admins.length === 0) {
    const { token } = await createToken(db, ADMIN_ID, 'bootstrap');
    return { createdAdminToken: token };
  }
  return {};
}
