/**
 * Bulk migration (issue 15): start a job that moves many projects of a template to a published
 * version, and read its progress. The work is a durable workflow's (server/impact/migrations.ts).
 */
import type { Handlers } from '../app';
import { migrationView, startMigration } from '../impact/migrations';
import { isTemporalFault, temporalUnavailable } from './temporal-faults';

export const migrationHandlers: Handlers<'startMigration' | 'getMigration'> = {
  async startMigration({ deps, params, body, user, res }) {
    let jobId;
    try {
      jobId = await startMigration(deps, params.key, body, user!.id);
    } catch (error) {
      if (isTemporalFault(error)) throw temporalUnavailable(error);
      throw error;
    }
    res.location(`migrations/${jobId}`);
    return migrationView(deps.db, params.key, jobId, {});
  },

  async getMigration({ deps, params, query }) {
    return migrationView(deps.db, params.key, params.job, query);
  },
};
