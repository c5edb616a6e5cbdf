/**
 * The to-do list in people's words, on both databases: each row names its roles as the
 * project's template does (the keys kept) and a hypercare issue's severity; rows stored
 * before `0023_open_action_words` get both when the database is migrated (OPEN_ACTIONS_REV 4
 * derives them again); and issues due at the same time are listed most severe first.
 */
import type { Kysely } from 'kysely';
import {
  createDatabase,
  listOpenActions,
  migrateTo,
  migrateToLatest,
  seedTemplate,
  upsertProjectSnapshot,
  type Database,
} from '../../db';
import { migrations } from '../../db/migrations';
import { pendingActions } from '../../workflows/lifecycle';
import type { ProjectState, Template } from '../../workflows/model';
import { jointTemplate } from '../fixtures/joint-hypercare';
import { inHypercare } from '../lifecycle/in-hypercare';
import { eachDatabase, type TestDatabase } from '../support/databases';

/** The migrations from 0023 on, in order: what going back to 0022 reverts and comes again. */
const SINCE_0023 = Object.keys(migrations)
  .filter((name) => name >= '0023')
  .sort();

/**
 * The joint hypercare with the same response time for every severity, in hypercare, three
 * issues raised at one instant, the minor one first: their to-dos are due at the same time.
 */
function issuesAtOnce(): { template: Template; state: ProjectState } {
  const template = jointTemplate();
  for (const node of template.nodes) {
    if (node.type !== 'hypercare') continue;
    node.issueSla = [1, 2, 3].map((severity) => ({ severity, respond: 'PT2S', resolve: 'PT6S' }));
  }
  const sim = inHypercare(template);
  for (const severity of [3, 1, 2]) {
    sim.must('fran', { type: 'raiseIssue', severity, title: `Severity ${severity} issue` });
  }
  return { template, state: sim.state };
}

/** Every row of `user`, `limit` a page. */
async function allOf(db: Kysely<Database>, user: string, limit: number) {
  const items = [];
  let cursor: string | undefined;
  do {
    const page = await listOpenActions(db, user, { limit, ...(cursor && { cursor }) });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return items.map(({ userId: _u, ...a }) => a);
}

describe.each(eachDatabase())('open actions in words on $name', (factory) => {
  let target: TestDatabase;
  let db: Kysely<Database>;
  beforeEach(async () => {
    target = await factory.create();
    db = createDatabase(target.url);
  });
  afterEach(async () => {
    await db.destroy();
    await target.drop();
  });

  it('gives the rows stored before 0023 their role names and issue severities when migrated', async () => {
    await migrateToLatest(db);
    const { template, state } = issuesAtOnce();
    await seedTemplate(db, template);
    await upsertProjectSnapshot(db, state);
    // As a build before 0023 left it: its columns gone, its derivation (rev 3) stored.
    expect((await migrateTo(db, '0022_portfolio_views')).reverted).toEqual(
      [...SINCE_0023].reverse(),
    );
    await db
      .updateTable('read_model_revs')
      .set({ rev: 3 })
      .where('name', '=', 'open_actions')
      .execute();

    const said: string[] = [];
    expect(await migrateToLatest(db, undefined, (line) => said.push(line))).toEqual(SINCE_0023);
    expect(said).toEqual(['open actions derived for 1 project(s)']);
    const expected = pendingActions(state, template, 'olga');
    // The roles by their template names, the keys kept; the issues most severe first (their
    // to-dos are due at the same instant), not as they were raised; however the pages are cut.
    for (const limit of [1, 2, 50]) {
      const olga = await allOf(db, 'olga', limit);
      expect(olga).toEqual([1, 2, 0].map((i) => expected[i]));
      expect(olga).toEqual(
        [1, 2, 3].map((severity): unknown =>
          expect.objectContaining({
            action: 'acknowledge-issue',
            roles: ['ops'],
            roleNames: ['Operations lead'],
            detail: `Severity ${severity} issue`,
            // The mini template blocks the exit on critical and major issues (the default, 2).
            issue: { severity, blocksExit: severity <= 2 },
          }),
        ),
      );
    }
    const pat = await allOf(db, 'pat', 50);
    expect(pat.map((a) => [a.action, a.roles, a.roleNames, a.issue?.severity])).toEqual(
      [1, 2, 3].map((severity) => ['acknowledge-issue', ['pm'], ['Project manager'], severity]),
    );
  });

  it('reads a row an older build wrote during a rolling upgrade by its role keys', async () => {
    await migrateToLatest(db);
    const { template, state } = issuesAtOnce();
    await seedTemplate(db, template);
    await upsertProjectSnapshot(db, state);
    // An older build's write knows no role names nor issue: it leaves them null.
    await db
      .updateTable('open_actions')
      .set({ role_names: null, issue_severity: null, issue_blocks_exit: null })
      .execute();
    const olga = await allOf(db, 'olga', 50);
    expect(olga.map((a) => [a.roles, a.roleNames, a.issue])).toEqual(
      Array.from({ length: 3 }, () => [['ops'], ['ops'], undefined]),
    );
  });
});
