/**
 * Demo users of the embedded default: a PMO and one person for each role of the built-in
 * template, so a first project can be started and signed off right away. Created on the first
 * start with stable ids; later starts find them and print the same tokens.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import {
  changeUser,
  createToken,
  findUserByToken,
  getUser,
  importToken,
  insertUser,
  TOKEN_PREFIX,
  type Database,
} from '../../db';
import type { DemoUser } from '../../server/contract';

interface DemoUserSeed {
  id: string;
  name: string;
  email: string;
  /** `pmo`, or role keys of the built-in template `ops-integrated-delivery`. */
  roles: readonly string[];
  pmo?: boolean;
}

export const DEMO_USERS = [
  { id: 'demo-pmo', name: 'Priya PMO', roles: ['pmo'], pmo: true },
  { id: 'demo-pm', name: 'Paul Project Manager', roles: ['pm'] },
  { id: 'demo-ops-lead', name: 'Olga Operations Lead', roles: ['ops-lead'] },
  { id: 'demo-ops-manager', name: 'Omar Operations Manager', roles: ['ops-manager'] },
  { id: 'demo-support', name: 'Sofia Support Lead', roles: ['support'] },
  { id: 'demo-steering', name: 'Stefan Steering Committee', roles: ['steering'] },
  { id: 'demo-frontline', name: 'Fatima Frontline', roles: ['frontline'] },
].map((user) => ({ ...user, email: `${user.id}@demo.gatehouse.local` })) satisfies DemoUserSeed[];

/**
 * Demo tokens in plain text, so that every start can print them. This file exists only in the
 * embedded default (`npm start`), never in production: there tokens are shown once and the
 * database keeps only their hashes — as it does here too.
 */
export const DEMO_TOKENS_FILE = 'demo-tokens.json';
const TOKEN_LABEL = 'demo';
const TokensFile = z.record(z.string(), z.string());

export interface SeededDemoUsers {
  users: DemoUser[];
  /** Problems worth a warning (a demo e-mail taken by someone else, an unreadable file). */
  warnings: string[];
}

/** Creates the missing demo users and makes sure each has a working token, kept in the file. */
export async function seedDemoUsers(
  db: Kysely<Database>,
  dataDir: string,
): Promise<SeededDemoUsers> {
  const file = path.join(dataDir, DEMO_TOKENS_FILE);
  const warnings: string[] = [];
  const saved = await readTokens(file, warnings);
  const users: DemoUser[] = [];
  for (const seed of DEMO_USERS) {
    const existing = await getUser(db, seed.id);
    if (existing && !existing.active) {
      // Demo mode was off for a while: back on, with new tokens.
      await changeUser(db, seed.id, { active: true }, 'system');
    }
    if (!existing) {
      const { roles: _roles, ...user } = seed;
      const inserted = await insertUser(db, user);
      if (!inserted.ok) {
        warnings.push(`demo user ${seed.id} not created: ${seed.email} belongs to another user`);
        continue;
      }
    }
    const token = await ensureToken(db, seed.id, saved[seed.id]);
    users.push({ id: seed.id, name: seed.name, roles: [...seed.roles], token });
  }
  const tokens = Object.fromEntries(users.map((u) => [u.id, u.token]));
  if (JSON.stringify(tokens) !== JSON.stringify(saved)) await writeTokens(file, tokens);
  return { users, warnings };
}

/**
 * The saved token if it still signs this user in (re-imported, should the app database have
 * been reset on its own), else a new one.
 */
async function ensureToken(db: Kysely<Database>, userId: string, saved?: string): Promise<string> {
  if (saved?.startsWith(TOKEN_PREFIX)) {
    await importToken(db, userId, saved, TOKEN_LABEL, Date.now(), { kind: 'demo' });
    if ((await findUserByToken(db, saved))?.id === userId) return saved;
  }
  return (await createToken(db, userId, TOKEN_LABEL, Date.now(), { kind: 'demo' })).token;
}

/**
 * Demo mode off (GATEHOUSE_DEMO=0): the demo accounts that exist are deactivated, so their
 * tokens (printed earlier, kept in the data folder) sign nobody in; the file is removed.
 * Turning demo mode on again reactivates them with new tokens.
 */
export async function disableDemoUsers(db: Kysely<Database>, dataDir: string): Promise<string[]> {
  const off: string[] = [];
  for (const seed of DEMO_USERS) {
    const user = await getUser(db, seed.id);
    if (!user?.active) continue;
    const result = await changeUser(db, seed.id, { active: false }, 'system');
    if (result.ok) off.push(seed.id);
  }
  await rm(path.join(dataDir, DEMO_TOKENS_FILE), { force: true });
  return off;
}

async function readTokens(file: string, warnings: string[]): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = TokensFile.safeParse(json);
  if (parsed.success) return parsed.data;
  warnings.push(`${file} is not a JSON object of tokens: new demo tokens were made`);
  return {};
}

/** Written whole and renamed into place, readable by the owner only. */
async function writeTokens(file: string, tokens: Record<string, string>): Promise<void> {
  const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, file);
}
