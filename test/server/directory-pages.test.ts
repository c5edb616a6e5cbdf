/**
 * `GET /api/users` page by page, over HTTP on both databases: people whose names tie whatever
 * their letter case, and names with `%`, `_`, `\`, quotes and non-ASCII letters in them (and
 * so in the cursor), each come exactly once, in the directory's order (folded name, then id),
 * at any page size; the active ones too.
 */
import { eachDatabase } from '../support/databases';
import { startApiStack, type ApiStack, type TestUser } from './stack';

/** Each name three times, in three letter cases: a tie the directory orders by id. */
const NAMES = [
  'Ann Lee',
  'ann lee',
  'Ann Leé',
  'Ann-Lee',
  '100% Done',
  '100_ Done',
  '100\\ Done',
  'Back\\Slash',
  "O'Brien",
  'O"Quote',
  'Zoë Ng',
  'Émile Zola',
  'Ümit Öz',
  'straße',
  '日本 太郎',
  'a',
  'A',
  '',
].flatMap((name) => [name, name.toUpperCase(), name.toLowerCase()]);

/** One user of a page. */
interface Entry {
  id: string;
  name: string;
  active: boolean;
}

describe.each(eachDatabase())('the directory’s pages on $name', (factory) => {
  let api: ApiStack;
  let pmo: TestUser;
  const created: string[] = [];

  beforeAll(async () => {
    api = await startApiStack(factory, {}, { worker: false });
    pmo = await api.user('pages-pmo', { pmo: true });
    for (const [i, name] of NAMES.entries()) {
      const reply = await api.call('POST', '/api/users', {
        token: api.adminToken,
        body: { name: name === '' ? '-' : name, email: `person-${i}@example.test`, sso: true },
      });
      expect(reply.status).toBe(201);
      created.push(reply.body.id as string);
    }
    // Every fifth deactivated, ties among them.
    for (const id of created.filter((_, i) => i % 5 === 0)) {
      const reply = await api.call('PATCH', `/api/users/${id}`, {
        token: api.adminToken,
        body: { active: false },
      });
      expect(reply.status).toBe(200);
    }
  }, 60_000);
  afterAll(async () => api?.stop());

  /** Every page of `query` at `limit` users a page, in order. */
  async function walk(query: string, limit: number): Promise<Entry[]> {
    const seen: Entry[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages <= NAMES.length + 5; pages++) {
      const after = cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const reply = await api.call('GET', `/api/users?limit=${limit}${query}${after}`, {
        token: pmo.token,
      });
      expect(reply.status).toBe(200);
      expect(reply.body.items.length).toBeLessThanOrEqual(limit);
      seen.push(...(reply.body.items as Entry[]));
      cursor = reply.body.nextCursor;
      if (cursor === undefined) return seen;
    }
    throw new Error(`no last page of ${query} at ${limit} a page`);
  }

  /** The directory's order as the database sorts it (SPEC §4: by name, any case, then id). */
  async function inOrder(active?: boolean): Promise<string[]> {
    let query = api.db.selectFrom('users').select('id');
    if (active) query = query.where('deactivated_at', 'is', null);
    const rows = await query.orderBy('name_folded').orderBy('id').execute();
    return rows.map((row) => row.id);
  }

  it('shows every user once, in order, at any page size', async () => {
    const expected = await inOrder();
    expect(expected).toEqual(expect.arrayContaining(created));
    for (const limit of [1, 2, 3, 7, 200]) {
      const ids = (await walk('', limit)).map((user) => user.id);
      expect([limit, ids]).toEqual([limit, expected]);
    }
  });

  it('orders names that tie whatever their case by id', async () => {
    const users = await walk('', 2);
    // ASCII only: the databases sort other letters each by its own collation.
    const key = ({ name, id }: Entry) => [name.toLowerCase(), id] as const;
    const ascii = users.filter(({ name }) => /^[\x20-\x7e]*$/.test(name));
    for (const [before, after] of ascii.slice(1).map((user, i) => [ascii[i]!, user] as const)) {
      const [a, b] = [key(before), key(after)];
      expect([a, b, a[0] < b[0] || (a[0] === b[0] && a[1] < b[1])]).toEqual([a, b, true]);
    }
    const ties = (name: string) => name.toLowerCase() === 'ann lee';
    expect(users.filter(({ name }) => ties(name))).toHaveLength(NAMES.filter(ties).length);
  });

  it('shows every active user once, in order', async () => {
    const expected = await inOrder(true);
    for (const limit of [1, 4]) {
      const users = await walk('&active=true', limit);
      expect(users.every(({ active }) => active)).toBe(true);
      expect(users.map(({ id }) => id)).toEqual(expected);
    }
  });
});
