import type { Kysely } from 'kysely';
import { createDatabase } from '../../db/database';
import { InvalidCursorError } from '../../db/cursor';
import type { Database } from '../../db/schema';
import {
  getDraft,
  getLatestVersion,
  getVersion,
  listTemplates,
  listVersions,
  publishDraft,
  saveDraft,
  seedTemplate,
} from '../../db/templates';
import { validateTemplate } from '../../workflows/model/validate';
import { miniTemplate } from '../fixtures/mini-template';
import { eachDatabase, openMigrated } from '../support/databases';

describe.each(eachDatabase())('templates on $name', (factory) => {
  let db: Kysely<Database>;
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, url, close } = await openMigrated(factory));
  });
  afterAll(async () => {
    await close();
  });
  beforeEach(async () => {
    await db.deleteFrom('template_drafts').execute();
    await db.deleteFrom('template_versions').execute();
  });

  const versionCount = async () =>
    (await db.selectFrom('template_versions').select('key').execute()).length;

  it('saves any JSON object as a draft, replacing the previous one', async () => {
    expect(await getDraft(db, 'mini')).toBeUndefined();
    await saveDraft(db, 'mini', { name: 'half done', nodes: 'not yet' }, 'u-pmo', 1_000);
    const body = { ...miniTemplate, name: 'Second try' };
    expect(await saveDraft(db, 'mini', body, 'u-pmo-2', 2_000)).toEqual({
      key: 'mini',
      body,
      updatedAt: 2_000,
      updatedBy: 'u-pmo-2',
    });
    expect(await getDraft(db, 'mini')).toEqual({
      key: 'mini',
      body,
      updatedAt: 2_000,
      updatedBy: 'u-pmo-2',
    });
  });

  it('refuses a draft that is not a JSON object or a key that is not a slug', async () => {
    for (const body of [null, [], 'text', 42]) {
      await expect(saveDraft(db, 'mini', body, 'u-pmo')).rejects.toThrow();
    }
    await expect(saveDraft(db, 'Not A Slug', {}, 'u-pmo')).rejects.toThrow();
    expect(await db.selectFrom('template_drafts').selectAll().execute()).toEqual([]);
  });

  it('publishes nothing without a draft or from an invalid one', async () => {
    expect(await publishDraft(db, 'mini', 'u-pmo', validateTemplate)).toEqual({
      ok: false,
      reason: 'no_draft',
    });
    const { start: _start, ...noStart } = miniTemplate;
    await saveDraft(db, 'mini', noStart, 'u-pmo');
    const result = await publishDraft(db, 'mini', 'u-pmo', validateTemplate);
    expect(result).toMatchObject({ ok: false, reason: 'invalid' });
    expect(result.ok === false && result.reason === 'invalid' && result.errors).toEqual([
      expect.objectContaining({ path: ['start'], code: 'missing' }),
    ]);
    expect(await versionCount()).toBe(0);
  });

  it('refuses a template whose own key differs from the key it is saved under', async () => {
    await saveDraft(db, 'other', miniTemplate, 'u-pmo');
    expect(await publishDraft(db, 'other', 'u-pmo', validateTemplate)).toEqual({
      ok: false,
      reason: 'invalid',
      errors: [expect.objectContaining({ path: ['key'], code: 'invalid_value' })],
    });
    expect(await versionCount()).toBe(0);
  });

  it('numbers versions 1, 2, 3 per key and never changes a published one', async () => {
    await saveDraft(db, 'mini', miniTemplate, 'u-pmo');
    expect(await publishDraft(db, 'mini', 'u-pmo', validateTemplate, 1_000)).toEqual({
      ok: true,
      version: 1,
    });
    await saveDraft(db, 'mini', { ...miniTemplate, name: 'Mini v2' }, 'u-pmo');
    expect(await publishDraft(db, 'mini', 'u-pmo-2', validateTemplate, 2_000)).toEqual({
      ok: true,
      version: 2,
    });
    await saveDraft(db, 'mini', { ...miniTemplate, name: 'Mini v3' }, 'u-pmo');
    expect(await publishDraft(db, 'mini', 'u-pmo', validateTemplate, 3_000)).toEqual({
      ok: true,
      version: 3,
    });
    // Another key starts at 1; an invalid draft afterwards leaves every version as it was.
    await saveDraft(db, 'other', { ...miniTemplate, key: 'other' }, 'u-pmo');
    expect(await publishDraft(db, 'other', 'u-pmo', validateTemplate)).toMatchObject({
      version: 1,
    });
    await saveDraft(db, 'mini', { ...miniTemplate, nodes: [] }, 'u-pmo');
    expect(await publishDraft(db, 'mini', 'u-pmo', validateTemplate)).toMatchObject({ ok: false });

    expect(await getVersion(db, 'mini', 1)).toEqual({
      key: 'mini',
      version: 1,
      name: 'Mini lifecycle',
      publishedAt: 1_000,
      publishedBy: 'u-pmo',
      template: miniTemplate,
    });
    expect((await getVersion(db, 'mini', 2))?.template.name).toBe('Mini v2');
    expect(await getVersion(db, 'mini', 4)).toBeUndefined();
    expect(await getLatestVersion(db, 'mini')).toMatchObject({ version: 3, name: 'Mini v3' });
    expect(await getLatestVersion(db, 'nothing')).toBeUndefined();
    const v = (version: number, name: string, publishedBy: string) => ({
      key: 'mini',
      version,
      name,
      publishedAt: version * 1_000,
      publishedBy,
    });
    expect(await listVersions(db, 'mini')).toEqual({
      items: [
        v(1, 'Mini lifecycle', 'u-pmo'),
        v(2, 'Mini v2', 'u-pmo-2'),
        v(3, 'Mini v3', 'u-pmo'),
      ],
    });
    // A page at a time, oldest first, the cursor after the last version shown.
    const first = await listVersions(db, 'mini', { limit: 2 });
    expect(first.items.map((i) => i.version)).toEqual([1, 2]);
    const rest = await listVersions(db, 'mini', { limit: 2, cursor: first.nextCursor! });
    expect(rest).toEqual({ items: [v(3, 'Mini v3', 'u-pmo')] });
    await expect(listVersions(db, 'mini', { cursor: 'bm9wZQ' })).rejects.toThrow(
      InvalidCursorError,
    );
    // The draft outlives its publications: the designer keeps editing it.
    expect((await getDraft(db, 'mini'))?.body).toMatchObject({ nodes: [] });
  });

  it('gives concurrent publishes distinct versions, from one or two connections', async () => {
    await saveDraft(db, 'mini', miniTemplate, 'u-pmo');
    const second = createDatabase(url);
    try {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          publishDraft(i % 2 === 0 ? db : second, 'mini', `u-${i}`, validateTemplate),
        ),
      );
      const versions = results.map((r) => (r.ok ? r.version : 0)).sort((a, b) => a - b);
      expect(versions).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect((await listVersions(db, 'mini')).items.map((v) => v.version)).toEqual(versions);
    } finally {
      await second.destroy();
    }
  });

  it('seeds a built-in as version 1 once', async () => {
    expect(await seedTemplate(db, miniTemplate, 500)).toBe(true);
    expect(await seedTemplate(db, { ...miniTemplate, name: 'Changed' }, 600)).toBe(false);
    expect(await getLatestVersion(db, 'mini')).toMatchObject({
      version: 1,
      name: 'Mini lifecycle',
      publishedAt: 500,
      publishedBy: 'system',
    });
    await saveDraft(db, 'mini', miniTemplate, 'u-pmo');
    expect(await publishDraft(db, 'mini', 'u-pmo', validateTemplate)).toMatchObject({
      version: 2,
    });
  });

  it('lists published and draft-only templates by key', async () => {
    await seedTemplate(db, miniTemplate, 1_000);
    await saveDraft(db, 'zeta', { ...miniTemplate, key: 'zeta', name: 'Zeta' }, 'u', 3_000);
    await publishDraft(db, 'zeta', 'u', validateTemplate, 4_000);
    await saveDraft(db, 'zeta', { name: 'Zeta renamed, not yet valid' }, 'u', 5_000);
    await saveDraft(db, 'alpha', { name: 'Alpha draft' }, 'u', 2_000);
    await saveDraft(db, 'beta', { nodes: [] }, 'u', 2_500);
    const all = [
      { key: 'alpha', name: 'Alpha draft', hasDraft: true, updatedAt: 2_000 },
      { key: 'beta', name: 'beta', hasDraft: true, updatedAt: 2_500 },
      { key: 'mini', name: 'Mini lifecycle', latestVersion: 1, hasDraft: false, updatedAt: 1_000 },
      { key: 'zeta', name: 'Zeta', latestVersion: 1, hasDraft: true, updatedAt: 5_000 },
    ];
    expect(await listTemplates(db)).toEqual({ items: all });
    // Paged by key: every template once, in order, across pages.
    const seen = [];
    let cursor: string | undefined;
    do {
      const page = await listTemplates(db, { limit: 3, ...(cursor && { cursor }) });
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(seen).toEqual(all);
    await expect(listTemplates(db, { cursor: 'bm9wZQ' })).rejects.toThrow(InvalidCursorError);
    // A tampered one holding NUL: PostgreSQL cannot even compare with it.
    const nul = Buffer.from('k:\u0000').toString('base64url');
    await expect(listTemplates(db, { cursor: nul })).rejects.toThrow(InvalidCursorError);
  });
});
