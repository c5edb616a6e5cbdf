/**
 * Template drafts are the PMO's work in progress (README "Who may call what"): anyone else
 * lists published templates only, over HTTP on both databases. A key that holds nothing but a
 * draft is not listed to them, and a published key shows its published name and time, never
 * the draft's; the PMO and admins list everything.
 */
import { opsIntegratedDelivery as builtin } from '../../workflows/model';
import { eachDatabase } from '../support/databases';
import { expectStatus } from './drive-http';
import { startApiStack, type ApiStack, type TestUser } from './stack';

interface Listed {
  key: string;
  name: string;
  hasDraft: boolean;
  latestVersion?: number;
  updatedAt: number;
}

describe.each(eachDatabase())('template drafts on $name', (factory) => {
  let api: ApiStack;
  let pmo: TestUser;
  let plain: TestUser;

  beforeAll(async () => {
    api = await startApiStack(factory);
    pmo = await api.user('pmo', { pmo: true });
    plain = await api.user('plain');
  });
  afterAll(async () => api.stop());

  const save = async (key: string, name: string) => {
    const body = { ...builtin, key, name };
    const reply = await api.call('PUT', `/api/templates/${key}/draft`, { token: pmo.token, body });
    expectStatus(reply, 200, `draft ${key}`);
  };
  /** Every template `token` lists, a page of one at a time (the cursor passes drafts by too). */
  async function listed(token: string): Promise<Listed[]> {
    const all: Listed[] = [];
    let cursor: string | undefined;
    do {
      const query = `?limit=1${cursor === undefined ? '' : `&cursor=${cursor}`}`;
      const reply = await api.call('GET', `/api/templates${query}`, { token });
      expectStatus(reply, 200, 'list templates');
      all.push(...(reply.body.items as Listed[]));
      cursor = reply.body.nextCursor as string | undefined;
    } while (cursor !== undefined);
    return all;
  }

  it('lists published templates only to anyone but the PMO', async () => {
    await save('a-secret', 'Project Falcon: acquire Acme (confidential)');
    await save('b-shared', 'Shared delivery');
    const publish = await api.call('POST', '/api/templates/b-shared/publish', {
      token: pmo.token,
    });
    expectStatus(publish, 201, 'publish b-shared');
    const published = (await listed(plain.token)).find((t) => t.key === 'b-shared')!;
    await save('b-shared', 'Shared delivery, renamed in the draft');
    await save('c-secret', 'Layoffs wave 2 (draft)');

    const seen = await listed(plain.token);
    expect(seen.map((t) => t.key)).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/secret/)]),
    );
    expect(seen.find((t) => t.key === 'b-shared')).toEqual({
      ...published,
      hasDraft: true,
    });
    expect(JSON.stringify(seen)).not.toMatch(/Falcon|Layoffs|renamed/);

    const everything = (await listed(pmo.token)).map((t) => [t.key, t.name]);
    expect(everything).toEqual(
      expect.arrayContaining([
        ['a-secret', 'Project Falcon: acquire Acme (confidential)'],
        ['b-shared', 'Shared delivery'],
        ['c-secret', 'Layoffs wave 2 (draft)'],
      ]),
    );
    expect((await listed(api.adminToken)).map((t) => t.key)).toContain('c-secret');
  });
});
