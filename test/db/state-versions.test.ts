/** The read model reads a snapshot an older version wrote in today's shape (real databases). */
import type { Kysely } from 'kysely';
import { getProjectState, upsertProjectSnapshot } from '../../db/projects';
import type { Database } from '../../db/schema';
import { startProject } from '../../workflows/lifecycle';
import { STATE_VERSION, type ProjectState } from '../../workflows/model';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { eachDatabase, openMigrated } from '../support/databases';

describe.each(eachDatabase())('state versions in the read model on $name', (factory) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openMigrated(factory));
  });
  afterAll(() => close());

  it('migrates a version 0 snapshot on the way out', async () => {
    const { state } = startProject(
      {
        projectId: 'v0',
        name: 'Version 0',
        template: miniTemplate,
        version: 1,
        participants: miniParticipants,
        startedBy: 'pmo',
      },
      1_000,
    ).machine;
    // As code before STATE_VERSION wrote it: no version, no scoped keys, no feedback count.
    const { version: _v, keys: _k, feedbackCount: _f, ...old } = state;
    await upsertProjectSnapshot(db, old as unknown as ProjectState);
    const read = await getProjectState(db, 'v0');
    expect(read).toEqual({ ...state, version: STATE_VERSION, keys: {}, feedbackCount: 0 });
  });
});
