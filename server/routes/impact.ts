/**
 * Template change impact (issue 15): start an analysis of a draft or version against the
 * running projects of its template, poll it (each poll advances it by a bounded batch), and dry
 * run one project against a published version. Nothing here changes a project.
 */
import { getVersion } from '../../db';
import { analyseProject } from '../../workflows/lifecycle';
import type { Handlers } from '../app';
import { HttpProblem } from '../problem';
import { HistoryGone, readProjectHistory } from '../impact/history';
import {
  advanceImpact,
  candidateOf,
  impactView,
  startImpact,
  unknownVersion,
} from '../impact/jobs';
import { isTemporalFault, temporalUnavailable } from './temporal-faults';

export const impactHandlers: Handlers<'analyseImpact' | 'getImpact' | 'dryRunProject'> = {
  async analyseImpact({ deps, params, body, query, user, res }) {
    const candidate = await candidateOf(deps.db, params.key, body);
    const jobId = await withTemporal(() =>
      startImpact(
        { db: deps.db, client: deps.temporal.client },
        params.key,
        candidate,
        user!.id,
        deps.impactBatch,
      ),
    );
    const view = await impactView(deps.db, params.key, jobId, {
      ...(query.limit && { limit: query.limit }),
    });
    // Not finished in one batch: the caller polls the job (GET), each poll a batch further.
    if (view.job.status === 'running') {
      res.status(202).location(`${params.key}/impact/${jobId}`).json(view);
    }
    return view;
  },

  async getImpact({ deps, params, query }) {
    await withTemporal(() =>
      advanceImpact(
        { db: deps.db, client: deps.temporal.client },
        params.key,
        params.job,
        deps.impactBatch,
      ),
    );
    return impactView(deps.db, params.key, params.job, query);
  },

  async dryRunProject({ deps, params, body }) {
    const history = await withTemporal(() =>
      readProjectHistory(deps.temporal.client, params.id),
    ).catch((error: unknown) => {
      if (!(error instanceof HistoryGone)) throw error;
      const message = `project "${params.id}" has no workflow history in Temporal to analyse`;
      throw new HttpProblem(404, 'not_found', message);
    });
    const key = history.start.template.key;
    const version = await getVersion(deps.db, key, body.version);
    if (!version) throw unknownVersion(key, body.version, ['body', 'version']);
    return analyseProject(
      history,
      { template: version.template, version: body.version },
      Date.now(),
    );
  },
};

async function withTemporal<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isTemporalFault(error)) throw temporalUnavailable();
    throw error;
  }
}
