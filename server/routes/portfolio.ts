/**
 * The portfolio's questions beside its list: the filters' own checks (shared by the list and
 * its CSV export) and how many open projects are in each node of each template.
 */
import { countStages, getLatestVersion } from '../../db';
import type { PortfolioFilters, PortfolioStages } from '../contract';
import type { Handlers } from '../app';
import { HttpProblem } from '../problem';

/**
 * What the query's shape cannot say: a `stage` is a node of `template` (node ids are a
 * template's own, and the list reads that template's stage index).
 */
export function checkPortfolioFilters(filters: PortfolioFilters): void {
  if (filters.stage !== undefined && filters.template === undefined) {
    const message = 'a stage is a node of a template: send `template` with `stage`';
    throw new HttpProblem(422, 'stage_needs_template', message, [
      { path: ['query', 'stage'], code: 'stage_needs_template', message },
    ]);
  }
}

export const portfolioHandlers: Handlers<'portfolioStages'> = {
  async portfolioStages({ deps, query }) {
    const counts = await countStages(deps.db, query);
    const templates: PortfolioStages['templates'] = [];
    // One read per template with open projects (a handful), not per project.
    for (const key of [...new Set(counts.map((c) => c.template))]) {
      const latest = (await getLatestVersion(deps.db, key))?.template;
      const nodes = latest?.nodes ?? [];
      const place = (id: string) => {
        const at = nodes.findIndex((n) => n.id === id);
        return at === -1 ? nodes.length : at;
      };
      const stages = counts
        .filter((c) => c.template === key)
        .map(({ stage, active, onHold }) => {
          const node = nodes.find((n) => n.id === stage);
          return {
            id: stage,
            name: node?.name ?? stage,
            ...(node && { kind: node.type }),
            active,
            onHold,
          };
        })
        // The lifecycle's order; nodes the latest version dropped last, by id.
        .sort((a, b) => place(a.id) - place(b.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      templates.push({ key, name: latest?.name ?? key, stages });
    }
    return { templates };
  },
};
