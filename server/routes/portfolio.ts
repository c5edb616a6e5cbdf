/**
 * The portfolio's questions beside its list: the filters' own checks (shared by the list and
 * its CSV export) and how many open projects are in each node of each template.
 */
import { countStages, getLatestVersion, templateOf } from '../../db';
import type { Template } from '../../workflows/model';
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

type Stage = PortfolioStages['templates'][number]['stages'][number];
type Node = Template['nodes'][number];

export const portfolioHandlers: Handlers<'portfolioStages'> = {
  async portfolioStages({ deps, query }) {
    const counts = await countStages(deps.db, query);
    const templates: PortfolioStages['templates'] = [];
    // One read per template with open projects and per version they pin (a handful, bounded
    // by the versions published), never one per project.
    for (const key of [...new Set(counts.map((c) => c.template))]) {
      const found = await getLatestVersion(deps.db, key);
      const latest = found?.template;
      const nodes = latest?.nodes ?? [];
      // The latest version is read already: the projects that pin it need no second read.
      const pinned = new Map<number, Template | undefined>(found ? [[found.version, latest]] : []);
      const byId = new Map<string, Stage>();
      // Each node as the newest version pinned by a project in it has it (counts come by
      // node, then oldest version first).
      const newest = new Map<string, Node>();
      for (const { stage, version, active, onHold } of counts.filter((c) => c.template === key)) {
        if (!pinned.has(version)) pinned.set(version, await templateOf(deps.db, key, version));
        const node = pinned.get(version)?.nodes.find((n) => n.id === stage);
        if (node) newest.set(stage, node);
        const entry = byId.get(stage) ?? {
          id: stage,
          name: stage,
          active: 0,
          onHold: 0,
          versions: [],
        };
        byId.set(stage, entry);
        entry.active += active;
        entry.onHold += onHold;
        entry.versions.push({ version, ...named(stage, node), active, onHold });
      }
      // The latest version's name, else the newest pinned version's.
      const stages = [...byId.values()].map((entry) => ({
        ...entry,
        ...named(entry.id, nodes.find((n) => n.id === entry.id) ?? newest.get(entry.id)),
      }));
      const place = (id: string) => {
        const at = nodes.findIndex((n) => n.id === id);
        return at === -1 ? nodes.length : at;
      };
      // The lifecycle's order; nodes the latest version dropped last, by id.
      stages.sort((a, b) => place(a.id) - place(b.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      templates.push({ key, name: latest?.name ?? key, stages });
    }
    return { templates };
  },
};

/** A node's name and kind as one version has it; the id alone if it has no such node. */
function named(id: string, node: Node | undefined): { name: string; kind?: string } {
  return node ? { name: node.name, kind: node.type } : { name: id };
}
